// One-time start-up work run on its own thread, so that it overlaps a command's first,
// local work instead of delaying it: loading libcurl or libarchive, OpenSSL's
// initialisation. A task that fails leaves its error to the caller that needs the result
// (who redoes the work in the foreground and reports it).
#pragma once

#include <functional>
#include <string_view>

namespace lava {

// Runs `task` on a new thread unless a task named `what` was started already.
void start_in_background(std::string_view what, std::function<void()> task);

// True when every task started has finished (or none was started).
bool background_starts_done();

// Waits for every task started. The process must not exit while one runs (exit handlers
// would tear down a library under it), so main calls this on every way out.
void finish_background_starts();

}  // namespace lava
