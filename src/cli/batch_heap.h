// Heap settings for the short, allocation-heavy commands (render, nb2py).
#pragma once

namespace lava::cli {

// Tunes malloc for a process that builds large structures once and then exits: the heap
// grows in large steps onto transparent huge pages, memory is never handed back, and one
// arena serves every thread (the renderer's worker thread runs while the caller waits).
void prepare_batch_heap();

}  // namespace lava::cli
