// The st.layers factories of the Keras-style convolution and pooling layers (train/layers/conv.ts).
// CHANNELS-FIRST: images are [batch, channels, height, width], inputShape [channels, height, width].

import {
  Conv1DLayer, type Conv1DOptions, Conv2DLayer, type Conv2DOptions, GlobalAveragePooling2DLayer, Pooling2DLayer, type Pooling2DOptions,
} from "./conv.js";

/**
 * A 2-D convolution (Keras Conv2D) on CHANNELS-FIRST images [batch, channels, height, width]:
 * y = activation(conv2d(x, W) + b), output ⌊(H − d·(k − 1) − 1)/s⌋ + 1 with padding "valid"
 * (default) or ⌈H/s⌉ with "same". Keras defaults: strides 1, glorotUniform kernel, zero bias.
 * inputShape is [channels, height, width]. The weights are nn.Conv2d's (PyTorch's layout).
 * @example
 * const m = st.sequential([
 *   st.layers.conv2d({ filters: 8, kernelSize: 3, padding: "same", activation: "relu", inputShape: [1, 8, 8] }),
 *   st.layers.maxPooling2d({ poolSize: 2 }),
 *   st.layers.flatten(),
 *   st.layers.dense({ units: 10 }),
 * ]);
 */
export function conv2d(opts: Conv2DOptions): Conv2DLayer {
  return new Conv2DLayer(opts);
}

/**
 * A 1-D convolution (Keras Conv1D) on CHANNELS-FIRST sequences [batch, channels, steps];
 * inputShape [channels, steps]. Same options as conv2d with single numbers.
 * @example st.layers.conv1d({ filters: 16, kernelSize: 3, activation: "relu", inputShape: [4, 32] })
 */
export function conv1d(opts: Conv1DOptions): Conv1DLayer {
  return new Conv1DLayer(opts);
}

/**
 * Max pooling (Keras MaxPooling2D) over CHANNELS-FIRST [batch, channels, height, width]:
 * poolSize default 2, strides default poolSize, padding "valid" or "same" (⌈H/s⌉, padding never wins).
 * @example st.layers.maxPooling2d({ poolSize: 2 })
 */
export function maxPooling2d(opts: Pooling2DOptions = {}): Pooling2DLayer {
  return new Pooling2DLayer("maxPooling2d", opts);
}

/**
 * Average pooling (Keras AveragePooling2D), CHANNELS-FIRST; with padding "same" the padding is
 * not counted in the averages (TensorFlow's rule).
 * @example st.layers.averagePooling2d({ poolSize: [2, 2] })
 */
export function averagePooling2d(opts: Pooling2DOptions = {}): Pooling2DLayer {
  return new Pooling2DLayer("averagePooling2d", opts);
}

/**
 * The mean over height and width (Keras GlobalAveragePooling2D): [batch, channels, height, width] → [batch, channels].
 * @example st.layers.globalAveragePooling2d()
 */
export function globalAveragePooling2d(opts: { inputShape?: number[] } = {}): GlobalAveragePooling2DLayer {
  return new GlobalAveragePooling2DLayer(opts);
}
