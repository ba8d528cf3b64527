// The table of array kernels for elementwise ops, reductions, softmax and the fused kernels.
// One table per ISA (ew_base.cpp, ew_avx2.cpp), built from the same source (ew_kernels.inc.h);
// elementwise.cpp / fused.cpp pick one at run time and do argument checking, broadcasting and
// threading around it.
#pragma once
#include "common.h"

namespace steady {

// Unary ops the native backend implements (the TS side passes these codes).
enum UnaryOp : int {
  U_NEG = 0, U_ABS, U_EXP, U_LOG, U_SQRT, U_RSQRT, U_SQUARE, U_TANH, U_SIGMOID, U_RELU,
  U_FLOOR, U_CEIL, U_SIGN, U_ERF, U_EXPM1, U_LOG1P, U_SIN, U_COS, U_COUNT
};
enum BinaryOp : int { B_ADD = 0, B_SUB, B_MUL, B_DIV, B_MAX, B_MIN, B_COUNT };
// Operand layouts of a binary inner loop: both contiguous, b scalar, a scalar.
enum BinaryMode : int { BM_VV = 0, BM_VS, BM_SV, BM_COUNT };
enum ReduceOp : int { R_SUM = 0, R_MAX, R_MIN, R_COUNT };
enum Activation : int { ACT_NONE = 0, ACT_RELU, ACT_GELU, ACT_TANH, ACT_SIGMOID, ACT_COUNT };

template <class T>
using UnaryFn = void (*)(const T* x, T* y, idx n);
template <class T>
using BinaryFn = void (*)(const T* a, const T* b, T* y, idx n);

template <class T>
struct EwKernels {
  UnaryFn<T> unary[U_COUNT];
  // y, a and b are __restrict: no two of them overlap.
  BinaryFn<T> binary[B_COUNT][BM_COUNT];
  // The same ops for y == a or y == b exactly (an in-place update such as linear's bias add).
  BinaryFn<T> binary_inplace[B_COUNT][BM_COUNT];
  // Reduces each of `rows` contiguous rows of length n to one value: out[r].
  void (*reduce_rows[R_COUNT])(const T* x, idx rows, idx n, T* out);
  // Reduces x viewed as [red, inner] (row stride ld) over red into out[inner] (columns).
  void (*reduce_cols[R_COUNT])(const T* x, idx red, idx inner, idx ld, T* out);
  // Softmax / log-softmax of `rows` contiguous rows of length n.
  void (*softmax_rows)(const T* x, T* y, idx rows, idx n, bool log);
  void (*clamp)(const T* x, T* y, idx n, T lo, T hi);
  // y[r, j] = act(x[r, j] + bias[j]) for `rows` rows of length n.
  void (*bias_act_rows)(const T* x, const T* bias, T* y, idx rows, idx n, int act);
  void (*adam)(T* p, const T* g, T* m, T* v, idx n, double lr, double b1, double b2, double eps, double wd,
               double bc1, double bc2, bool decoupled);
  void (*sgd)(T* p, const T* g, T* buf, idx n, double lr, double momentum, double dampening, bool nesterov,
              double wd, bool first);
  void (*rmsprop)(T* p, const T* g, T* sq, T* mbuf, T* gavg, idx n, double lr, double alpha, double eps,
                  double wd, double momentum);
  void (*layernorm_fwd_rows)(const T* x, const T* gamma, const T* beta, T* y, T* mean, T* rstd, idx rows, idx n,
                             double eps);
  // dx for `rows` rows; dgamma/dbeta are accumulated by the caller from per-row terms.
  void (*layernorm_bwd_rows)(const T* dy, const T* x, const T* mean, const T* rstd, const T* gamma, T* dx, idx rows,
                             idx n);
  // Statistics of x[0, n) in one pass, float64 accumulation: out[7] = [Σx, Σx², #(x = 0), min, max,
  // #(|x − center| > thr), Σ(x − ref)² (0 when ref is null)]; min/max NaN when x holds a NaN.
  void (*tensor_stats)(const T* x, const T* ref, idx n, double center, double thr, double* out);
};

struct EwTable {
  const char* isa;
  EwKernels<float> f32;
  EwKernels<double> f64;
};

const EwTable& ew_table_base();
#if STEADY_X86
const EwTable& ew_table_avx2();
#endif
// The table for the active ISA (AVX-512 machines use the AVX2 table: these kernels are memory-bound).
const EwTable& ew_table();

}  // namespace steady
