// A short tour of steadytensor's tensors and autograd. Run: npm run example:autograd
import * as st from "../src/node.js";

// 1. Tensors and vector arithmetic
const a = st.tensor([1, 2]);
const b = st.tensor([3, 4]);
console.log("a · b =", st.dot(a, b).item()); // 11
console.log("a ⊗ b =", st.outer(a, b).toArray()); // [[3, 4], [6, 8]]
console.log("2a =", a.mul(2).toString()); // scalar multiplication
const M = st.tensor([[1, 2], [3, 4]], { dtype: "float32" });
console.log("M @ M =\n" + M.matmul(M).toString());

// 2. Reverse-mode autograd: gradients accumulate into .grad of leaves
const w = st.tensor([0.5, -1.0], { requiresGrad: true });
const loss = w.mul(w).sum(); // Σ w²
loss.backward();
console.log("d(Σw²)/dw =", w.grad!.toArray()); // 2w = [1, -2]

// 3. Gradient descent: least squares by autograd converges to [0, 1]
const X = st.tensor([[1, 2], [2, 3], [3, 4]], { dtype: "float64" });
const y = st.tensor([2, 3, 4], { dtype: "float64" });
const theta = st.zeros([2], { dtype: "float64", requiresGrad: true });
for (let step = 0; step < 20000; step++) {
  const mse = X.matmul(theta).sub(y).square().mean();
  theta.grad = null;
  mse.backward();
  st.noGrad(() => theta.sub_(theta.grad!.mul(0.05))); // θ ← θ − η∇, η below 2/λmax of the Hessian
}
console.log("least-squares θ =", (theta.toArray() as number[]).map((v) => +v.toFixed(6)));

// 4. Gradients of gradients (createGraph): d/dx x³ = 3x², d²/dx² = 6x
const x = st.tensor([2], { dtype: "float64", requiresGrad: true });
const [dy] = st.autograd.grad(x.pow(3), [x], { createGraph: true });
const [d2y] = st.autograd.grad(dy!.sum(), [x]);
console.log("x=2: dy/dx =", dy!.item(), " d²y/dx² =", d2y!.item()); // 12, 12

// 5. A Hessian-vector product (the stability tools use it for sharpness)
const A = st.tensor([[2, 1], [1, 3]], { dtype: "float64" });
const q = (v: st.Tensor) => v.matmul(A).dot(v).mul(0.5); // ½ vᵀAv, Hessian = A
const { hvp } = st.autograd.hvp(q, [st.tensor([1, 1], { dtype: "float64" })], [st.tensor([1, 0], { dtype: "float64" })]);
console.log("H·[1,0] =", hvp[0]!.toArray()); // [2, 1]

// 6. noGrad, detach and hooks
const z = st.noGrad(() => w.mul(3));
console.log("inside noGrad: requiresGrad =", z.requiresGrad);
const h = w.mul(2);
h.registerHook((g) => g.mul(10)); // scale the gradient flowing through h
w.grad = null;
h.sum().backward();
console.log("hooked gradient =", w.grad!.toArray()); // [20, 20]

// 7. Numerical stability by construction, and a gradient check
console.log("softmax([1e4, 0, -1e4]) =", st.softmax(st.tensor([1e4, 0, -1e4]), 0).toArray());
const p = st.randn([3, 4], { dtype: "float64", requiresGrad: true });
console.log(st.gradcheck((t) => t.tanh().logsumexp(1), [p]).message);

// 8. Clear errors instead of silent NaN or wrong broadcasts
try {
  st.matmul(st.zeros([2, 3]), st.zeros([4, 5]));
} catch (e) {
  console.log(`${(e as Error).name}: ${(e as Error).message}`);
}
