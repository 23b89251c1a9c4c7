import { UserError } from '../../util/errors.js';

/**
 * An ONNX model deepperform cannot use as it is (unreadable file, an operator
 * outside the supported set, an output or manifest name the graph lacks, a bad
 * layout): a configuration error, exit code 2. `place` says where: a node, an
 * output name, a suite key.
 */
export class OnnxModelError extends UserError {
  override readonly name = 'OnnxModelError';
  constructor(
    readonly file: string,
    readonly place: string,
    readonly detail: string,
  ) {
    super(`${file}: ${place}: ${detail}`);
  }
}
