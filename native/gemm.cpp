// GEMM driver: BLIS-style loops (jc over NC columns, pc over KC depth, ic over MC rows, then the
// jr/ir macro-kernel over micro-tiles), the choice of micro-kernel for the active ISA, and the split
// of the work over the thread pool. Packing lives in gemm_pack.h, micro-kernels in gemm_ukernel_*.
#include "gemm.h"

#include <cstdlib>
#include <cstring>

#include "gemm_pack.h"
#include "gemm_pack_simd.h"
#include "gemm_ukernel.h"
#include "threadpool.h"

namespace steady {
namespace {

// ---- micro-kernel table (the one place that decides which kernel runs) -------------------------

// Block sizes: the A block (mc x kc) stays in L2, a B micro-panel (kc x nr) in L1, the packed B
// block (kc x nc) in L3.
const UKernel<float> kF32Scalar{"gemm_f32_4x8_scalar", 4, 8, 128, 256, 2048, gemm_f32_4x8_scalar};
const UKernel<double> kF64Scalar{"gemm_f64_4x8_scalar", 4, 8, 64, 256, 2048, gemm_f64_4x8_scalar};
#if STEADY_X86
const UKernel<float> kF32Avx2{"gemm_f32_6x16_avx2", 6, 16, 144, 256, 4080, gemm_f32_6x16_avx2, pack_a_f32_6_avx2,
                              pack_b_f32_16_avx2};
const UKernel<double> kF64Avx2{"gemm_f64_6x8_avx2", 6, 8, 72, 256, 2040, gemm_f64_6x8_avx2};
const UKernel<float> kF32Avx512{"gemm_f32_12x32_avx512", 12, 32, 144, 256, 4064, gemm_f32_12x32_avx512};
const UKernel<double> kF64Avx512{"gemm_f64_12x16_avx512", 12, 16, 72, 256, 2032, gemm_f64_12x16_avx512};
#endif

template <class T>
const UKernel<T>& select_kernel();

template <>
const UKernel<float>& select_kernel<float>() {
#if defined(STEADY_EMULATE_AVX512)
  return kF32Avx512;  // test build: the AVX-512 tile over emulated vectors
#endif
#if STEADY_X86
  switch (active_isa()) {
    case Isa::avx512: return kF32Avx512;
    case Isa::avx2: return kF32Avx2;
    default: break;
  }
#endif
  return kF32Scalar;
}

template <>
const UKernel<double>& select_kernel<double>() {
#if defined(STEADY_EMULATE_AVX512)
  return kF64Avx512;  // test build: the AVX-512 tile over emulated vectors
#endif
#if STEADY_X86
  switch (active_isa()) {
    case Isa::avx512: return kF64Avx512;
    case Isa::avx2: return kF64Avx2;
    default: break;
  }
#endif
  return kF64Scalar;
}

// ---- per-thread packing buffers ---------------------------------------------------------------

struct AlignedBuffer {
  void* p = nullptr;
  std::size_t cap = 0;
  void* get(std::size_t bytes) {
    if (bytes > cap) {
      std::free(p);
      cap = (bytes + 4095) / 4096 * 4096;
      p = std::aligned_alloc(64, cap);
      if (p == nullptr) { cap = 0; std::abort(); }
    }
    return p;
  }
  ~AlignedBuffer() { std::free(p); }
};

thread_local AlignedBuffer tl_pack_a;
thread_local AlignedBuffer tl_pack_b;

// ---- one thread's GEMM on a sub-block --------------------------------------------------------

// C (m x n, row stride ldc) = A (m x k) · B (k x n), serial.
template <class T>
void gemm_serial(const UKernel<T>& uk, MatView<T> a, MatView<T> b, T* c, idx ldc, idx m, idx n, idx k) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    for (idx i = 0; i < m; i++) std::memset(c + i * ldc, 0, sizeof(T) * n);
    return;
  }
  const int MR = uk.mr, NR = uk.nr;
  const idx KC = uk.kc;
  const idx MC = min_idx(uk.mc, round_up(m, MR));
  const idx NC = min_idx(uk.nc, round_up(n, NR));
  const idx kc_max = min_idx(KC, k);
  T* pa = static_cast<T*>(tl_pack_a.get(sizeof(T) * (MC * kc_max + kGemmPackSlack)));
  T* pb = static_cast<T*>(tl_pack_b.get(sizeof(T) * (NC * kc_max + kGemmPackSlack)));
  alignas(64) T tile[32 * 32];  // edge tiles (MR * NR <= 1024)

  for (idx jc = 0; jc < n; jc += NC) {
    const idx nc = min_idx(NC, n - jc);
    for (idx pc = 0; pc < k; pc += KC) {
      const idx kc = min_idx(KC, k - pc);
      const bool acc = pc > 0;  // beta = 0 on the first depth block: C is never read before it
      if (uk.pack_b == nullptr || !uk.pack_b(b.at(pc, jc), b.rs, b.cs, kc, nc, pb))
        pack_b(MatView<T>{b.at(pc, jc), b.rs, b.cs}, kc, nc, NR, pb);
      for (idx ic = 0; ic < m; ic += MC) {
        const idx mc = min_idx(MC, m - ic);
        if (uk.pack_a == nullptr || !uk.pack_a(a.at(ic, pc), a.rs, a.cs, mc, kc, pa))
          pack_a(MatView<T>{a.at(ic, pc), a.rs, a.cs}, mc, kc, MR, pa);
        // Macro-kernel: a B micro-panel stays in L1 while the A micro-panels stream from L2.
        for (idx jr = 0; jr < nc; jr += NR) {
          const idx nr = min_idx(NR, nc - jr);
          const T* bp = pb + jr * kc;
          for (idx ir = 0; ir < mc; ir += MR) {
            const idx mr = min_idx(MR, mc - ir);
            const T* ap = pa + ir * kc;
            T* cp = c + (ic + ir) * ldc + (jc + jr);
            if (mr == MR && nr == NR) {
              uk.fn(kc, ap, bp, cp, ldc, acc);
            } else {
              uk.fn(kc, ap, bp, tile, NR, false);
              for (idx i = 0; i < mr; i++) {
                T* crow = cp + i * ldc;
                const T* trow = tile + i * NR;
                if (acc) {
                  for (idx j = 0; j < nr; j++) crow[j] += trow[j];
                } else {
                  for (idx j = 0; j < nr; j++) crow[j] = trow[j];
                }
              }
            }
          }
        }
      }
    }
  }
}

// ---- the split over threads --------------------------------------------------------------------

// Below this many multiply-adds per call, waking the pool costs more than it saves.
constexpr double kParallelMinFma = 1.0e6;
// One grid cell per thread. Cutting the matrix into 2x / 4x more cells, handed out dynamically so
// that a thread slowed by other load would not hold up the call, measured 4-20% slower (each cell
// packs its own A and B panels, and smaller cells reuse them less), at every size from 256^2 to
// 1024^2 and on the training shapes, in an in-process A/B that alternated the two builds call by
// call on this shared 2-core machine.

template <class T>
struct Job {
  const UKernel<T>* uk;
  const T* a;
  const T* b;
  T* c;
  GemmArgs g;
  int pm, pn;         // thread grid over one matrix
  idx mchunk, nchunk;  // rows / columns per grid cell (multiples of MR / NR)
};

template <class T>
MatView<T> view_a(const GemmArgs& g, const T* a) {
  return g.trans_a ? MatView<T>{a, 1, g.m} : MatView<T>{a, g.k, 1};
}
template <class T>
MatView<T> view_b(const GemmArgs& g, const T* b) {
  return g.trans_b ? MatView<T>{b, 1, g.k} : MatView<T>{b, g.n, 1};
}

template <class T>
void run_cell(const Job<T>& job, idx bi, int ci, int cj) {
  const GemmArgs& g = job.g;
  const idx i0 = ci * job.mchunk, j0 = cj * job.nchunk;
  if (i0 >= g.m || j0 >= g.n) return;
  const idx mm = min_idx(job.mchunk, g.m - i0), nn = min_idx(job.nchunk, g.n - j0);
  MatView<T> a = view_a(g, job.a + bi * g.stride_a);
  MatView<T> b = view_b(g, job.b + bi * g.stride_b);
  a.p = a.at(i0, 0);
  b.p = b.at(0, j0);
  gemm_serial(*job.uk, a, b, job.c + bi * g.m * g.n + i0 * g.n + j0, g.n, mm, nn, g.k);
}

template <class T>
void task_fn(void* ctx, int t, int) {
  const Job<T>& job = *static_cast<const Job<T>*>(ctx);
  const int cells = job.pm * job.pn;
  const idx bi = t / cells;
  const int cell = t % cells;
  run_cell(job, bi, cell / job.pn, cell % job.pn);
}

// Picks the thread grid pm x pn (pm * pn = p) with the least work for the busiest thread:
// its tile-rounded share of the multiply-adds plus the packing it repeats.
template <class T>
void choose_grid(const UKernel<T>& uk, idx m, idx n, idx k, int p, int& pm, int& pn) {
  double best = -1;
  for (int cm = 1; cm <= p; cm++) {
    if (p % cm != 0) continue;
    const int cn = p / cm;
    const idx mrows = round_up(ceil_div(ceil_div(m, uk.mr), cm), 1) * uk.mr;
    const idx ncols = round_up(ceil_div(ceil_div(n, uk.nr), cn), 1) * uk.nr;
    if ((cm > 1 && mrows * (cm - 1) >= round_up(m, uk.mr)) || (cn > 1 && ncols * (cn - 1) >= round_up(n, uk.nr))) continue;
    const double cost = double(mrows) * double(ncols) * double(k) + 4.0 * double(k) * double(mrows + ncols);
    if (best < 0 || cost < best) { best = cost; pm = cm; pn = cn; }
  }
  if (best < 0) { pm = 1; pn = 1; }
}

template <class T>
void gemm_any(const T* a, const T* b, T* c, const GemmArgs& g) {
  if (g.batch <= 0 || g.m <= 0 || g.n <= 0) return;
  if (g.batch > 1 && g.stride_b == 0 && !g.trans_a && g.stride_a == g.m * g.k) {
    // [batch, m, k] · one [k, n] (a linear layer on 3-D input, and its dX): the batch entries of A
    // and C are consecutive rows, so this is one [batch·m, k] · [k, n] product. Same k order per
    // element (bitwise the same result), but B is packed once and the thread split sees one big
    // matrix instead of `batch` small ones.
    GemmArgs one = g;
    one.m = g.m * g.batch;
    one.batch = 1;
    one.stride_a = 0;
    gemm_any(a, b, c, one);
    return;
  }
  const UKernel<T>& uk = select_kernel<T>();
  const double per = double(g.m) * double(g.n) * double(g.k);
  const int p = num_threads();
  if (p <= 1 || per * double(g.batch) < kParallelMinFma) {
    for (idx bi = 0; bi < g.batch; bi++) {
      gemm_serial(uk, view_a(g, a + bi * g.stride_a), view_b(g, b + bi * g.stride_b), c + bi * g.m * g.n, g.n, g.m, g.n, g.k);
    }
    return;
  }
  Job<T> job{&uk, a, b, c, g, 1, 1, g.m, g.n};
  if (!(g.batch >= p && (g.batch % p == 0 || g.batch >= 4 * p || per < kParallelMinFma))) {
    choose_grid(uk, g.m, g.n, g.k, p, job.pm, job.pn);
    job.mchunk = ceil_div(ceil_div(g.m, uk.mr), job.pm) * uk.mr;
    job.nchunk = ceil_div(ceil_div(g.n, uk.nr), job.pn) * uk.nr;
  }
  const idx ntasks = g.batch * job.pm * job.pn;
  if (ntasks > 0x7fffffff) {
    // Absurd batch counts: split in pieces the pool can index.
    for (idx bi = 0; bi < g.batch; bi++) {
      GemmArgs one = g;
      one.batch = 1;
      gemm_any(a + bi * g.stride_a, b + bi * g.stride_b, c + bi * g.m * g.n, one);
    }
    return;
  }
  parallel_run(static_cast<int>(ntasks), task_fn<T>, &job);
}

}  // namespace

void gemm_f32(const float* a, const float* b, float* c, const GemmArgs& g) { gemm_any(a, b, c, g); }
void gemm_f64(const double* a, const double* b, double* c, const GemmArgs& g) { gemm_any(a, b, c, g); }

const char* gemm_kernel_name(bool f64) { return f64 ? select_kernel<double>().name : select_kernel<float>().name; }

}  // namespace steady
