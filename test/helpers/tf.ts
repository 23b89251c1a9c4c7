import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

// Silences the cpu backend's "install tfjs-node" notice in test output; set on
// import because test files may create tensors before their beforeAll runs.
tf.env().set('IS_TEST', true);

/** Tests run on the pure-JS cpu backend unless they test a backend themselves. */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}
