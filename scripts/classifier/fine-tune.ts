import * as tf from '@tensorflow/tfjs';
import { seededRandom, shuffleInPlace } from './augment.ts';
import { HEAD_LAYERS, cosineRate } from './head.ts';

/**
 * Fine-tuning of the backbone's last block together with the head (`npm run train -- --fine-tune N`).
 *
 * The head is first trained on the frozen backbone's features, as in the paper. Then block 16 (expand 1×1
 * 160 → 960, ReLU6, depthwise 3×3, ReLU6, project 1×1 960 → 320) and the head are trained together at a low
 * rate, from the ImageNet weights and the trained head, on block 15's 7×7×160 maps. Those maps come from
 * the frozen layers below and are cached like the features, so an epoch costs block 16 and the head only.
 *
 * The block is written out with matrix products and nine shifted products instead of tfjs' convolutions:
 * the wasm backend (the only fast one in Node here) has no gradient kernels for convolutions, and its
 * transposed matrix product is about ten times slower than an explicit transpose and a plain product.
 * The unit test checks that this arithmetic is the convolution layers' the shipped model runs.
 */

/** Shape of block 16's input map: 7 × 7 × 160. */
export const BLOCK_INPUT = { size: 7, channels: 160 } as const;
const MAP = BLOCK_INPUT.size * BLOCK_INPUT.size * BLOCK_INPUT.channels;
const EXPANDED = 960;
const PROJECTED = 320;

/** Layer names of block 16 in the imported backbone and the shipped model. */
export const LAST_BLOCK_LAYERS = {
  expand: 'expanded_conv_16_expand',
  depthwise: 'expanded_conv_16_depthwise',
  project: 'expanded_conv_16_project',
} as const;

/** Hyperparameters of the fine-tuning pass. */
export interface FineTuneConfig {
  epochs: number;
  learningRate: number;
  momentum: number;
  batchSize: number;
  dropout: number;
  seed: number;
}

/** One training set: block-15 maps (row i of `maps` is picture i) and the rows used, with their labels. */
export interface MapRows {
  maps: Float32Array;
  rows: number[];
  labels: number[];
}

/** Mean loss of one fine-tuning epoch. */
export interface FineTuneEpoch {
  epoch: number;
  trainLoss: number;
}

/** Matrix product whose gradient uses explicit transposes (see the module comment). */
const matMul = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, save] = inputs as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** Block 16 and the head as trainable variables. */
export class LastBlockClassifier {
  private constructor(private readonly vars: Record<string, tf.Variable>) {}

  /** Block 16's weights from `model` (the imported backbone or the assembled classifier), the head's from `head`. */
  static from(model: tf.LayersModel, head: tf.LayersModel): LastBlockClassifier {
    const weights = (layer: tf.LayersModel, name: string) => layer.getLayer(name).getWeights();
    const [ek, eb] = weights(model, LAST_BLOCK_LAYERS.expand);
    const [dk, db] = weights(model, LAST_BLOCK_LAYERS.depthwise);
    const [pk, pb] = weights(model, LAST_BLOCK_LAYERS.project);
    const [hk, hb] = weights(head, HEAD_LAYERS.dense);
    const [ok, ob] = weights(head, HEAD_LAYERS.output);
    const v = (t: tf.Tensor, name: string) => tf.variable(t, true, `fine_tune_${name}_${nextId++}`);
    // tidy frees the reshaped handles; the variables keep their values. (getWeights returns the models'
    // own variables, so those are not disposed here.)
    const vars = tf.tidy(() => ({
      ek: v(ek!.reshape([BLOCK_INPUT.channels, EXPANDED]), 'ek'),
      eb: v(eb!, 'eb'),
      dk: v(dk!.reshape([3, 3, EXPANDED]), 'dk'),
      db: v(db!, 'db'),
      pk: v(pk!.reshape([EXPANDED, PROJECTED]), 'pk'),
      pb: v(pb!, 'pb'),
      hk: v(hk!, 'hk'),
      hb: v(hb!, 'hb'),
      ok: v(ok!, 'ok'),
      ob: v(ob!, 'ob'),
    }));
    return new LastBlockClassifier(vars);
  }

  /**
   * Logits [batch, 2] for block-15 maps `x` [batch, 7, 7, 160]; when training, dropout on the hidden layer
   * with a mask drawn from `seed`.
   */
  logits(x: tf.Tensor4D, dropout = 0, seed?: number): tf.Tensor2D {
    const { hk, hb, ok, ob } = this.vars as Record<string, tf.Tensor>;
    let hidden = tf.relu(tf.add(matMul(this.features(x), hk as tf.Tensor2D), hb!)) as tf.Tensor2D;
    if (dropout > 0) hidden = tf.dropout(hidden, dropout, undefined, seed) as tf.Tensor2D;
    return tf.add(matMul(hidden, ok as tf.Tensor2D), ob!) as tf.Tensor2D;
  }

  /**
   * The head's input for block-15 maps `x`: block 16's 7×7×320 map, each row averaged (2,240 features), as
   * the shipped model's `features` layer computes them (mask-classifier-model.ts poolFeatures).
   */
  features(x: tf.Tensor4D): tf.Tensor2D {
    const { ek, eb, dk, db, pk, pb } = this.vars as Record<string, tf.Tensor>;
    const batch = x.shape[0];
    const n = BLOCK_INPUT.size;
    const flat = (t: tf.Tensor, width: number) => t.reshape([batch * n * n, width]) as tf.Tensor2D;
    const expanded = tf
      .clipByValue(tf.add(matMul(flat(x, BLOCK_INPUT.channels), ek as tf.Tensor2D), eb!), 0, 6)
      .reshape([batch, n, n, EXPANDED]);
    // Depthwise 3×3, stride 1, 'same' padding: the sum of nine shifted copies, each times its tap.
    const padded = tf.pad(expanded, [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ]);
    let depthwise: tf.Tensor = db!;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const tap = tf.slice(dk!, [i, j, 0], [1, 1, EXPANDED]).reshape([EXPANDED]);
        depthwise = tf.add(depthwise, tf.mul(tf.slice(padded, [0, i, j, 0], [batch, n, n, EXPANDED]), tap));
      }
    }
    const projected = tf
      .add(matMul(flat(tf.clipByValue(depthwise, 0, 6), EXPANDED), pk as tf.Tensor2D), pb!)
      .reshape([batch, n, n, PROJECTED]);
    return tf.mean(projected, 2).reshape([batch, n * PROJECTED]) as tf.Tensor2D;
  }

  /** P(class) rows (flat, 2 per picture) for `rows` of `maps`. */
  async predict(maps: Float32Array, rows: readonly number[]): Promise<Float32Array> {
    const out = new Float32Array(rows.length * 2);
    for (let start = 0; start < rows.length; start += 256) {
      const part = rows.slice(start, start + 256);
      const p = tf.tidy(() => tf.softmax(this.logits(gatherMaps(maps, part))));
      out.set(await p.data(), start * 2);
      p.dispose();
    }
    return out;
  }

  /**
   * Trains block 16 and the head. Epoch e sees augmented copy e mod copies (as the head's training does),
   * shuffled by a seeded generator, under a cosine-decayed SGD rate.
   */
  async train(
    copies: MapRows[][],
    config: FineTuneConfig,
    onEpoch: (record: FineTuneEpoch) => void,
  ): Promise<FineTuneEpoch[]> {
    const optimizer = tf.train.momentum(config.learningRate, config.momentum);
    const random = seededRandom(config.seed);
    const variables = Object.values(this.vars);
    const history: FineTuneEpoch[] = [];
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      optimizer.setLearningRate(cosineRate(config.learningRate, epoch, config.epochs));
      const sets = copies[epoch % copies.length]!;
      const order = sets.flatMap((set, s) => set.rows.map((_, i) => [s, i] as const));
      // Whole batches only (the last partial one is left out, as in every run recorded in train.ts).
      if (order.length < config.batchSize) {
        throw new Error(
          `fine-tuning needs at least one batch of ${config.batchSize} pictures, got ${order.length}`,
        );
      }
      shuffleInPlace(order, random);
      let lossSum = 0;
      let batches = 0;
      for (let start = 0; start + config.batchSize <= order.length; start += config.batchSize) {
        const batch = order.slice(start, start + config.batchSize);
        const x = tf.tensor4d(
          concatRows(batch.map(([s, i]) => [sets[s]!.maps, sets[s]!.rows[i]!] as const)),
          [batch.length, BLOCK_INPUT.size, BLOCK_INPUT.size, BLOCK_INPUT.channels],
        );
        const y = tf.tidy(() =>
          tf.oneHot(
            tf.tensor1d(
              batch.map(([s, i]) => sets[s]!.labels[i]!),
              'int32',
            ),
            2,
          ),
        );
        // A new dropout mask every step, the same in every run with this seed.
        const dropoutSeed = config.seed * 1_000_003 + epoch * 10_007 + batches;
        const loss = optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(y, this.logits(x, config.dropout, dropoutSeed)) as tf.Scalar,
          true,
          variables,
        )!;
        lossSum += (await loss.data())[0]!;
        batches++;
        tf.dispose([x, y, loss]);
      }
      const record = { epoch: epoch + 1, trainLoss: lossSum / Math.max(1, batches) };
      history.push(record);
      onEpoch(record);
    }
    optimizer.dispose();
    return history;
  }

  /** Copies block 16's and the head's weights into `model` (the assembled classifier). */
  copyInto(model: tf.LayersModel): void {
    const { ek, eb, dk, db, pk, pb, hk, hb, ok, ob } = this.vars;
    const set = (name: string, weights: tf.Tensor[]) => model.getLayer(name).setWeights(weights);
    tf.tidy(() => {
      set(LAST_BLOCK_LAYERS.expand, [ek!.reshape([1, 1, BLOCK_INPUT.channels, EXPANDED]), eb!]);
      set(LAST_BLOCK_LAYERS.depthwise, [dk!.reshape([3, 3, EXPANDED, 1]), db!]);
      set(LAST_BLOCK_LAYERS.project, [pk!.reshape([1, 1, EXPANDED, PROJECTED]), pb!]);
      set(HEAD_LAYERS.dense, [hk!, hb!]);
      set(HEAD_LAYERS.output, [ok!, ob!]);
    });
  }

  dispose(): void {
    tf.dispose(Object.values(this.vars));
  }
}

let nextId = 0;

/** Picture rows of `maps` as one [n, 7, 7, 160] batch. */
export function gatherMaps(maps: Float32Array, rows: readonly number[]): tf.Tensor4D {
  return tf.tensor4d(concatRows(rows.map((r) => [maps, r] as const)), [
    rows.length,
    BLOCK_INPUT.size,
    BLOCK_INPUT.size,
    BLOCK_INPUT.channels,
  ]);
}

function concatRows(rows: readonly (readonly [Float32Array, number])[]): Float32Array {
  const out = new Float32Array(rows.length * MAP);
  rows.forEach(([maps, r], i) => out.set(maps.subarray(r * MAP, (r + 1) * MAP), i * MAP));
  return out;
}
