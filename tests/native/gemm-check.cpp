// GEMM correctness against a float64 triple loop over tile edges, transposes, batches and 1 and 2
// threads, for whatever micro-kernel the build selects. Compiled and run by
// tests/native-avx512-emulated.test.ts with -DSTEADY_EMULATE_AVX512 (the AVX-512 tile
// configuration over emulated vectors). Prints one summary line; exits non-zero on a mismatch.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "gemm.h"
#include "threadpool.h"

using namespace steady;

namespace {

unsigned rng_state = 12345;
double uniform() {
  rng_state = rng_state * 1664525u + 1013904223u;
  return (rng_state >> 8) / double(1 << 24) - 0.5;
}

template <class T>
int check(idx batch, idx m, idx n, idx k, bool ta, bool tb, bool shared_b) {
  std::vector<T> a(batch * m * k), b((shared_b ? 1 : batch) * k * n), c(batch * m * n, T(NAN));  // beta = 0: C may hold NaN
  for (auto& x : a) x = T(uniform());
  for (auto& x : b) x = T(uniform());
  const GemmArgs g{batch, m, n, k, m * k, shared_b ? 0 : k * n, ta, tb};
  if constexpr (sizeof(T) == 4) gemm_f32(a.data(), b.data(), c.data(), g);
  else gemm_f64(a.data(), b.data(), c.data(), g);
  int bad = 0;
  for (idx bi = 0; bi < batch; bi++) {
    const T* A = a.data() + bi * m * k;
    const T* B = b.data() + (shared_b ? 0 : bi * k * n);
    for (idx i = 0; i < m; i++) {
      for (idx j = 0; j < n; j++) {
        double s = 0, mag = 0;
        for (idx p = 0; p < k; p++) {
          const double av = ta ? A[p * m + i] : A[i * k + p], bv = tb ? B[j * k + p] : B[p * n + j];
          s += av * bv;
          mag += std::fabs(av * bv);
        }
        const double got = c[bi * m * n + i * n + j];
        const double tol = (sizeof(T) == 4 ? 1e-6 : 1e-14) * double(k + 1) * mag;
        if (!(std::fabs(got - s) <= tol)) {
          if (bad++ < 3)
            std::printf("mismatch batch %ld m %ld n %ld k %ld transA %d transB %d at (%ld, %ld): %.17g, expected %.17g\n", long(batch),
                        long(m), long(n), long(k), int(ta), int(tb), long(i), long(j), got, s);
        }
      }
    }
  }
  return bad;
}

}  // namespace

int main() {
  const idx sizes[] = {1, 5, 11, 12, 13, 31, 32, 33, 100, 145};  // around MR = 12, NR = 32 and MC = 144
  int bad = 0, cases = 0;
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    for (idx m : sizes)
      for (idx n : sizes)
        for (idx k : {1, 7, 64, 300})
          for (int t = 0; t < 4; t++, cases += 2) {
            bad += check<float>(1, m, n, k, t & 1, t & 2, false);
            bad += check<double>(1, m, n, k, t & 1, t & 2, false);
          }
    bad += check<float>(3, 40, 70, 90, false, true, true) + check<double>(5, 13, 33, 257, true, false, false);
    bad += check<float>(1, 300, 300, 300, false, false, false) + check<float>(1, 500, 200, 300, true, true, false);
    cases += 4;
  }
  std::printf("%d cases, %d mismatches, kernels %s / %s\n", cases, bad, gemm_kernel_name(false), gemm_kernel_name(true));
  return bad == 0 ? 0 : 1;
}
