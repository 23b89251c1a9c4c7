
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/cli.js';
import { encodeSafetensors } from '../../../../test/helpers/safetensors-writer.js';
import { fillStateDict, resnet56StateDict, type StateDictShapes } from '../../../../test/helpers/sdn-state-dict.js';
import { importTorchWeights, readSafetensors, type RawTensor } from '../../import/index.js';
import { buildSdnMobilenet } from './sdn-mobilenet.js';
import { buildSdnResnet56 } from './sdn-resnet56.js';
import { buildSdnVgg16 } from './sdn-vgg16.js';
import { sdnTorchMapping } from './torch-names.js';
import { SDN_ARCHS as ARCHS, sdnConfig as config, type SdnArch as Arch } from '../../../../test/helpers/sdn-archs.js';

function asRaw(shapes: StateDictShapes, seed = 1): Map<string, RawTensor> {
  return fillStateDict(shapes, seed);
}

describe('sdnTorchMapping against the original state_dict keys (listed by hand)', () => {
  it('sdn-resnet56 at 32x32: the names of a block, an internal classifier, the stem and the final layer', () => {
    const net = buildSdnResnet56(config(10, 1), 0);
    const m = sdnTorchMapping(net);
    // Block 4 of stage 2 is the 9 + 4 = 13th block of the ModuleList.
    expect(m.get('stage1.block4.conv1.weight')).toEqual({ torch: 'layers.13.layers.0.0.weight', layout: { kind: 'conv' } });
    expect(m.get('stage1.block4.conv2.bn.running_var')).toEqual({ torch: 'layers.13.layers.0.4.running_var', layout: { kind: 'same' } });
    expect(m.get('stage2.block0.shortcut.bn.weight')?.torch).toBe('layers.18.layers.1.1.weight');
    expect(m.get('stem.conv.bn.running_mean')?.torch).toBe('init_conv.1.running_mean');
    expect(m.get('fc.weight')).toEqual({ torch: 'end_layers.2.weight', layout: { kind: 'linear' } });
    // IC 2 sits after block 2 of stage 2 (layer 9 + 2 = 11) on a 16x16x32 map: kernel 4 -> 4x4x32.
    expect(m.get('ic2.alpha')).toEqual({ torch: 'layers.11.output.alpha', layout: { kind: 'same', shape: [] } });
    expect(m.get('ic2.linear.weight')).toEqual({ torch: 'layers.11.output.linear.weight', layout: { kind: 'linear', flattenedFrom: [32, 4, 4] } });
    net.dispose();
  });

  // Width 1/8 keeps these fast; the names and the shape rules are the same at every width.
  for (const arch of Object.keys(ARCHS) as Arch[]) {
    it(`${arch}: every parameter and every state_dict key is matched, with the right shapes (width 1/8)`, () => {
      const { build, listing } = ARCHS[arch];
      const net = build(config(10, 0.125), 0);
      const shapes = listing({ classes: 10, widthMultiplier: 0.125 });
      const raw = asRaw(shapes);
      importTorchWeights(net, raw, sdnTorchMapping(net), `${arch}.safetensors`);
      // alpha of the first IC: a [1] tensor becomes our scalar.
      const firstIc = [...shapes.keys()].find((k) => k.endsWith('.alpha'))!;
      expect(net.namedWeights().get('ic0.alpha')!.dataSync()[0]).toBe(raw.get(firstIc)!.values[0]);
      net.dispose();
    });
  }

  it('sdn-vgg16 and sdn-mobilenet: ICs on 4x4 maps keep an idle alpha in the original, marked unused here', () => {
    const vgg = buildSdnVgg16(config(10, 0.125), 0);
    const mv = sdnTorchMapping(vgg);
    // VGG: layer 6 pools to 4x4 (32 / 2 / 2 / 2), kernel floor(4 / 4) = 1; layer 9 pools to 2x2 (no alpha at all).
    expect(mv.get('unused:layers.6.output.alpha')?.layout.kind).toBe('unused');
    expect(mv.get('unused:layers.8.output.alpha')?.layout.kind).toBe('unused');
    expect([...mv.values()].some((s) => s.torch === 'layers.9.output.alpha')).toBe(false);
    // The hidden FC layer reads the flattened 1x1x64 map (512 / 8 channels).
    expect(mv.get('fc0.weight')?.layout).toEqual({ kind: 'linear', flattenedFrom: [64, 1, 1] });
    vgg.dispose();
    const mob = buildSdnMobilenet(config(10, 0.125), 0);
    const mm = sdnTorchMapping(mob);
    // MobileNet: blocks 6 and 8 run at 4x4 (32 -> 16 -> 8 -> 4), block 11 at 2x2.
    expect([...mm.keys()].filter((k) => k.startsWith('unused:'))).toEqual(['unused:layers.6.output.alpha', 'unused:layers.8.output.alpha']);
    expect(mm.get('block3.depthwise.weight')).toEqual({ torch: 'layers.3.layers.0.weight', layout: { kind: 'depthwise' } });
    expect(mm.get('ic4.linear.weight')?.layout).toEqual({ kind: 'linear', flattenedFrom: [128, 2, 2] });
    mob.dispose();
  });

  it('sdn-resnet56 at another input size is refused: the original then has a stride-2 first conv', () => {
    const net = buildSdnResnet56({ ...config(10, 0.125), input: { height: 64, width: 64, channels: 3, range: [0, 1] } }, 0);
    expect(() => sdnTorchMapping(net)).toThrow(/sdn-resnet56 configuration: PyTorch weights need a 32x32 input/);
    net.dispose();
  });

  it('a file with a key missing, an extra key and a wrongly shaped tensor gives one error naming all three', async () => {
    const shapes = resnet56StateDict({ classes: 10, widthMultiplier: 0.125 });
    shapes.delete('layers.5.layers.0.3.weight');
    shapes.set('layers.5.extra.weight', [2]);
    shapes.set('end_layers.2.bias', [11]);
    const tensors: Parameters<typeof encodeSafetensors>[0] = {};
    for (const [key, t] of fillStateDict(shapes)) {
      const int = key.endsWith('num_batches_tracked');
      tensors[key] = { dtype: int ? 'I64' : 'F32', shape: t.shape, values: int ? [0] : Array.from(t.values) };
    }
    const file = join(tempDir(), 'broken.safetensors');
    writeFileSync(file, encodeSafetensors(tensors));
    const net = buildSdnResnet56(config(10, 0.125), 0);
    const load = async () => importTorchWeights(net, await readSafetensors(file), sdnTorchMapping(net), file);
    await expect(load()).rejects.toThrow(
      /broken\.safetensors: does not fit sdn-resnet56: missing: layers\.5\.layers\.0\.3\.weight; unexpected: layers\.5\.extra\.weight; wrong shape: end_layers\.2\.bias \[11\] -> \[11\], expected \[10\]$/,
    );
    net.dispose();
  });
});

/**
 * A PyTorch reference written for this test (not the original's code): the
 * three SDNs with the original's module names, so their state_dict keys are
 * the original's. Random weights and BN statistics, eval mode, a fixed input;
 * it writes each model's safetensors and every exit's logits.
 */
