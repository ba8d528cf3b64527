// Persistent thread pool: generation counter + spin-then-sleep workers (see threadpool.h).
#include "threadpool.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#if STEADY_X86
#include <immintrin.h>
#define STEADY_PAUSE() _mm_pause()
#else
#define STEADY_PAUSE() std::this_thread::yield()
#endif

namespace steady {
namespace {

class Pool {
 public:
  Pool() { resize(initial_size()); }
  ~Pool() { stop_all(); }

  int size() const { return size_; }

  int resize(int n) {
    if (n < 1) n = 1;
    if (n > 256) n = 256;
    std::lock_guard<std::mutex> run_lock(run_mutex_);
    if (n == size_) return n;
    stop_all();
    stop_.store(false);
    size_ = n;
    for (int i = 1; i < n; i++) workers_.emplace_back([this] { worker_loop(); });
    return n;
  }

  void run(int ntasks, TaskFn fn, void* ctx) {
    if (ntasks <= 0) return;
    // Nested or concurrent use (another thread, or a task calling back in) runs serially.
    std::unique_lock<std::mutex> run_lock(run_mutex_, std::try_to_lock);
    if (!run_lock.owns_lock() || size_ <= 1 || ntasks == 1) {
      for (int t = 0; t < ntasks; t++) fn(ctx, t, ntasks);
      return;
    }
    fn_.store(fn, std::memory_order_relaxed);
    ctx_.store(ctx, std::memory_order_relaxed);
    ntasks_.store(ntasks, std::memory_order_relaxed);
    done_.store(0, std::memory_order_relaxed);
    std::uint64_t gen;
    {
      std::lock_guard<std::mutex> lk(mutex_);
      gen = generation_.load(std::memory_order_relaxed) + 1;
      // Publishes the job: the task counter carries its generation, so a worker still finishing
      // the previous job can never take a task of this one by mistake.
      next_.store(gen << 32, std::memory_order_release);
      generation_.store(gen, std::memory_order_release);
    }
    if (sleepers_.load(std::memory_order_acquire) > 0) cv_.notify_all();
    work(gen);
    // Wait for the tasks other threads took: spin briefly, then yield the core (when the machine
    // is oversubscribed, the thread we wait for may need it).
    for (int spins = 0; done_.load(std::memory_order_acquire) < ntasks; spins++) {
      if (spins < 4096) STEADY_PAUSE();
      else std::this_thread::yield();
    }
  }

 private:
  static int initial_size() {
    const char* env = std::getenv("STEADY_NUM_THREADS");
    if (env != nullptr) {
      int v = std::atoi(env);
      if (v >= 1) return v;
    }
    unsigned hc = std::thread::hardware_concurrency();
    return hc == 0 ? 1 : static_cast<int>(hc);
  }

  // Takes tasks of job `gen` until none is left. A task is claimed by a compare-exchange on the
  // (generation, index) counter, so once claimed, the job's parameters read before it are current.
  void work(std::uint64_t gen) {
    for (;;) {
      std::uint64_t v = next_.load(std::memory_order_acquire);
      if ((v >> 32) != gen) return;
      int nt = ntasks_.load(std::memory_order_relaxed);
      TaskFn fn = fn_.load(std::memory_order_relaxed);
      void* ctx = ctx_.load(std::memory_order_relaxed);
      int t = static_cast<int>(v & 0xffffffffu);
      if (t >= nt) return;
      if (!next_.compare_exchange_weak(v, v + 1, std::memory_order_acq_rel)) continue;
      fn(ctx, t, nt);
      done_.fetch_add(1, std::memory_order_acq_rel);
    }
  }

  void worker_loop() {
    std::uint64_t seen = generation_.load(std::memory_order_acquire);
    for (;;) {
      // Spin a little: kernels often come back to back.
      auto spin_until = std::chrono::steady_clock::now() + std::chrono::microseconds(200);
      std::uint64_t gen;
      int polls = 0;
      while ((gen = generation_.load(std::memory_order_acquire)) == seen && !stop_.load(std::memory_order_relaxed)) {
        STEADY_PAUSE();
        if (++polls % 64 == 0) {
          if (std::chrono::steady_clock::now() > spin_until) break;
          std::this_thread::yield();
        }
      }
      if (gen == seen && !stop_.load()) {
        std::unique_lock<std::mutex> lk(mutex_);
        sleepers_.fetch_add(1, std::memory_order_acq_rel);
        cv_.wait(lk, [&] { return generation_.load(std::memory_order_acquire) != seen || stop_.load(); });
        sleepers_.fetch_sub(1, std::memory_order_acq_rel);
        gen = generation_.load(std::memory_order_acquire);
      }
      if (stop_.load()) return;
      seen = gen;
      work(gen);
    }
  }

  void stop_all() {
    {
      std::lock_guard<std::mutex> lk(mutex_);
      stop_.store(true);
    }
    cv_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
    size_ = 1;
  }

  int size_ = 1;
  std::vector<std::thread> workers_;
  std::mutex run_mutex_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<int> sleepers_{0};
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> next_{0};
  std::atomic<int> done_{0};
  std::atomic<TaskFn> fn_{nullptr};
  std::atomic<void*> ctx_{nullptr};
  std::atomic<int> ntasks_{0};
};

Pool& pool() {
  // Leaked on purpose: joining threads from a static destructor at process exit can deadlock.
  static Pool* p = new Pool();
  return *p;
}

}  // namespace

int num_threads() { return pool().size(); }
int set_num_threads(int n) { return pool().resize(n); }
void parallel_run(int ntasks, TaskFn fn, void* ctx) { pool().run(ntasks, fn, ctx); }

}  // namespace steady
