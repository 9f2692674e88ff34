import { CrucibleError } from '@crucible/core';

/** A parameter the optimizer updates: its name (for state export) and its tensor shape. */
export interface AdamWParam {
  readonly name: string;
  readonly shape: readonly number[];
}

export interface AdamWOptions {
  /** Exponential decay of the first moment. Default 0.9. */
  beta1?: number;
  /** Exponential decay of the second moment. Default 0.95 (the small-GPT setting, not PyTorch's 0.999). */
  beta2?: number;
  /** Added to the bias-corrected sqrt(v). Default 1e-8. */
  eps?: number;
  /** Decoupled weight decay, multiplied by the learning rate. Default 0.1. */
  weightDecay?: number;
  /** Global L2 gradient-norm clip; 0 or Infinity disables clipping. Default 1.0. */
  maxGradNorm?: number;
}

export interface AdamWStepResult {
  /** The global L2 norm of the gradients before clipping. */
  gradNorm: number;
  /** The factor the gradients were multiplied by (1 when not clipped). */
  clipScale: number;
  /** The step count after this step (1 after the first step). */
  step: number;
}

/** Optimizer state in a form that can be persisted (e.g. as safetensors) and restored bit for bit. */
export interface AdamWState {
  step: number;
  /** First moments by parameter name. */
  m: Record<string, Float32Array>;
  /** Second moments by parameter name. */
  v: Record<string, Float32Array>;
}

/** A deep copy of a state whose moments may be views of live buffers. */
export function copyAdamWState(view: AdamWState): AdamWState {
  const copy = (t: Record<string, Float32Array>) => Object.fromEntries(Object.entries(t).map(([k, a]) => [k, a.slice()]));
  return { step: view.step, m: copy(view.m), v: copy(view.v) };
}

/**
 * Checks a state to import against the parameters it must cover (names and sizes) before anything is
 * changed, and returns its moments in `params` order. Throws CHECKPOINT_INVALID naming what is wrong.
 */
export function checkedMoments(state: AdamWState, params: ReadonlyArray<{ name: string; size: number }>): { m: Float32Array[]; v: Float32Array[] } {
  if (!Number.isSafeInteger(state.step) || state.step < 0) {
    throw new CrucibleError('CHECKPOINT_INVALID', `optimizer step must be a non-negative integer, got ${state.step}`);
  }
  const names = new Set(params.map((p) => p.name));
  for (const key of [...Object.keys(state.m), ...Object.keys(state.v)]) {
    if (!names.has(key)) throw new CrucibleError('CHECKPOINT_INVALID', `optimizer state has unknown parameter ${key}`);
  }
  const pick = (table: Record<string, Float32Array>, kind: string, { name, size }: { name: string; size: number }): Float32Array => {
    const arr = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!(arr instanceof Float32Array) || arr.length !== size) {
      throw new CrucibleError('CHECKPOINT_INVALID', `optimizer state ${kind}.${name} is missing or has the wrong size`, {
        details: { expected: size, got: arr instanceof Float32Array ? arr.length : null },
      });
    }
    return arr;
  };
  return { m: params.map((p) => pick(state.m, 'm', p)), v: params.map((p) => pick(state.v, 'v', p)) };
}

export const adamWDefaults: Required<AdamWOptions> = {
  beta1: 0.9,
  beta2: 0.95,
  eps: 1e-8,
  weightDecay: 0.1,
  maxGradNorm: 1.0,
};

/**
 * Weight decay applies to exactly the 2-D parameters (embedding tables and weight matrices: wte, wpe,
 * c_attn, c_proj, c_fc) and never to 1-D ones (biases, LayerNorm gains and shifts), as in nanoGPT.
 */
export function decaysWeight(shape: readonly number[]): boolean {
  return shape.length === 2;
}

/**
 * AdamW with PyTorch's update rule (torch.optim.AdamW, amsgrad off), preceded by global gradient-norm
 * clipping as torch.nn.utils.clip_grad_norm_ does it:
 *
 *   norm = sqrt(Σ g²) over all parameters (accumulated in float64)
 *   s    = norm > maxGradNorm ? maxGradNorm / (norm + 1e-6) : 1;   g ← s·g
 *   t ← t + 1
 *   p ← p · (1 − lr·wd)               (2-D parameters only, see decaysWeight)
 *   m ← β1·m + (1 − β1)·g ;  v ← β2·v + (1 − β2)·g²
 *   p ← p − (lr / (1 − β1ᵗ)) · m / (sqrt(v) / sqrt(1 − β2ᵗ) + eps)
 *
 * Arithmetic is float64 per element, rounded once when stored into the Float32Arrays, so a step is
 * deterministic and independent of thread count. Gradients are never modified; parameters are updated
 * in place. No allocation happens per step.
 */
export class AdamW {
  readonly params: readonly AdamWParam[];
  readonly options: Readonly<Required<AdamWOptions>>;
  private readonly sizes: number[];
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private t = 0;

  constructor(params: readonly AdamWParam[], options: AdamWOptions = {}) {
    this.options = Object.freeze({ ...adamWDefaults, ...stripUndefined(options) });
    validateOptions(this.options);
    const seen = new Set<string>();
    for (const p of params) {
      if (seen.has(p.name)) throw new CrucibleError('MODEL', `duplicate parameter name ${p.name}`);
      seen.add(p.name);
    }
    this.params = params.map((p) => ({ name: p.name, shape: [...p.shape] }));
    this.sizes = params.map((p) => p.shape.reduce((a, b) => a * b, 1));
    this.m = this.sizes.map((n) => new Float32Array(n));
    this.v = this.sizes.map((n) => new Float32Array(n));
  }

  /** Number of steps taken so far. */
  get step(): number {
    return this.t;
  }

  /**
   * One optimizer step at learning rate `lr`. `params` and `grads` are in the constructor's order.
   * Throws CrucibleError('MODEL') without touching any state when the gradient norm is not finite.
   */
  update(params: readonly Float32Array[], grads: readonly Float32Array[], lr: number): AdamWStepResult {
    this.checkArrays(params, grads);
    if (!Number.isFinite(lr) || lr < 0) throw new CrucibleError('MODEL', `learning rate must be finite and >= 0, got ${lr}`);
    const gradNorm = globalGradNorm(grads);
    if (!Number.isFinite(gradNorm)) {
      throw new CrucibleError('MODEL', 'gradient norm is not finite; step skipped', { details: { gradNorm } });
    }
    const { beta1, beta2, eps, weightDecay, maxGradNorm } = this.options;
    const clipScale = maxGradNorm > 0 && gradNorm > maxGradNorm ? maxGradNorm / (gradNorm + 1e-6) : 1;
    this.t += 1;
    const stepSize = lr / (1 - beta1 ** this.t);
    const invSqrtBc2 = 1 / Math.sqrt(1 - beta2 ** this.t);
    const oneMinusB1 = 1 - beta1;
    const oneMinusB2 = 1 - beta2;
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      const g = grads[i]!;
      const m = this.m[i]!;
      const v = this.v[i]!;
      const decay = decaysWeight(this.params[i]!.shape) ? 1 - lr * weightDecay : 1;
      const n = p.length;
      for (let j = 0; j < n; j++) {
        const gj = g[j]! * clipScale;
        const mj = beta1 * m[j]! + oneMinusB1 * gj;
        const vj = beta2 * v[j]! + oneMinusB2 * gj * gj;
        m[j] = mj;
        v[j] = vj;
        p[j] = p[j]! * decay - (stepSize * mj) / (Math.sqrt(vj) * invSqrtBc2 + eps);
      }
    }
    return { gradNorm, clipScale, step: this.t };
  }

  /** A deep copy of the optimizer state. */
  exportState(): AdamWState {
    return copyAdamWState(this.viewState());
  }

  /**
   * The optimizer state without copying it: the moment arrays are the optimizer's own, so they change
   * with the next update(). For serialising at once (a copy of megabytes per save is what this avoids);
   * never modify them.
   */
  viewState(): AdamWState {
    const m: Record<string, Float32Array> = {};
    const v: Record<string, Float32Array> = {};
    this.params.forEach((p, i) => {
      m[p.name] = this.m[i]!;
      v[p.name] = this.v[i]!;
    });
    return { step: this.t, m, v };
  }

  /** Restores a state exported by an optimizer over the same parameters (names and sizes checked). */
  importState(state: AdamWState): void {
    // Validate everything before mutating anything.
    const { m: ms, v: vs } = checkedMoments(state, this.params.map((p, i) => ({ name: p.name, size: this.sizes[i]! })));
    ms.forEach((arr, i) => this.m[i]!.set(arr));
    vs.forEach((arr, i) => this.v[i]!.set(arr));
    this.t = state.step;
  }

  private checkArrays(params: readonly Float32Array[], grads: readonly Float32Array[]): void {
    if (params.length !== this.sizes.length || grads.length !== this.sizes.length) {
      throw new CrucibleError('MODEL', `expected ${this.sizes.length} parameter and gradient arrays`, {
        details: { params: params.length, grads: grads.length },
      });
    }
    for (let i = 0; i < this.sizes.length; i++) {
      if (params[i]!.length !== this.sizes[i] || grads[i]!.length !== this.sizes[i]) {
        throw new CrucibleError('MODEL', `size mismatch for parameter ${this.params[i]!.name}`, {
          details: { expected: this.sizes[i], param: params[i]!.length, grad: grads[i]!.length },
        });
      }
    }
  }
}

/** sqrt(Σ g²) over all arrays, accumulated in float64 in a fixed order (deterministic). */
export function globalGradNorm(grads: readonly Float32Array[]): number {
  let sum = 0;
  for (const g of grads) {
    const n = g.length;
    for (let j = 0; j < n; j++) {
      const x = g[j]!;
      sum += x * x;
    }
  }
  return Math.sqrt(sum);
}

function validateOptions(o: Required<AdamWOptions>): void {
  const bad = (name: string, value: number): never => {
    throw new CrucibleError('CONFIG_INVALID', `AdamW ${name} out of range: ${value}`);
  };
  if (!(o.beta1 >= 0 && o.beta1 < 1)) bad('beta1', o.beta1);
  if (!(o.beta2 >= 0 && o.beta2 < 1)) bad('beta2', o.beta2);
  if (!(o.eps > 0 && Number.isFinite(o.eps))) bad('eps', o.eps);
  if (!(o.weightDecay >= 0 && Number.isFinite(o.weightDecay))) bad('weightDecay', o.weightDecay);
  if (!(o.maxGradNorm >= 0)) bad('maxGradNorm', o.maxGradNorm);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
