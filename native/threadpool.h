// A persistent pool of OS threads. The calling thread takes part in every job, so a pool of
// n threads starts n - 1 workers. Idle workers spin briefly (a training loop calls kernels back to
// back), then sleep on a condition variable.
#pragma once
#include "common.h"

namespace steady {

using TaskFn = void (*)(void* ctx, int task, int ntasks);

// Threads used by the kernels (>= 1). Starts at STEADY_NUM_THREADS, else hardware concurrency.
int num_threads();
// Resizes the pool (clamped to [1, 256]); returns the new size.
int set_num_threads(int n);

// Runs fn(ctx, t, ntasks) for t in [0, ntasks) on the pool and the calling thread; returns when all
// are done. ntasks may exceed the pool size (tasks are handed out dynamically). Not reentrant: a task
// must not call parallel_run (nested calls run serially instead).
void parallel_run(int ntasks, TaskFn fn, void* ctx);

// Convenience: splits [0, n) into chunks of at least `grain` items and calls body(begin, end) for
// each, on the pool. Up to 4 chunks per thread are handed out dynamically, so a thread slowed by
// other load on its core holds up the call less. Runs serially when n < 2 * grain or the pool has
// one thread.
template <class F>
void parallel_for(idx n, idx grain, F&& body) {
  int nt = num_threads();
  if (grain < 1) grain = 1;
  if (nt <= 1 || n < 2 * grain) {
    if (n > 0) body(idx(0), n);
    return;
  }
  const idx chunks = n / grain;
  const int ntasks = static_cast<int>(chunks < 4 * nt ? chunks : 4 * nt);
  struct Ctx { F* f; idx n; } ctx{&body, n};
  parallel_run(ntasks, [](void* c, int t, int nt2) {
    Ctx* x = static_cast<Ctx*>(c);
    idx b = x->n * t / nt2, e = x->n * (t + 1) / nt2;
    if (e > b) (*x->f)(b, e);
  }, &ctx);
}

}  // namespace steady
