// SIGINT and SIGTERM become a cancellation request (util/cancellation.h) that long work
// notices at its checkpoints and unwinds from, removing its temporary files; the command
// then exits 130 (SIGINT) or 143 (SIGTERM). The same signal a second time is not caught
// and ends the process at once.
#pragma once

namespace lava::cli {

void cancel_on_signals();

}  // namespace lava::cli
