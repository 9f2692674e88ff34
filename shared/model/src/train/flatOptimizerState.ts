import { flatRecord, SEGMENTS, type FlatLayout, type FlatTensors } from '../gpt/flatLayout.js';
import { checkedMoments, copyAdamWState, type AdamWOptions, type AdamWParam, type AdamWState } from '../optim/adamw.js';

/**
 * AdamW's state (step count and both moments) kept in flat segments by a device-side trainer, with the
 * host AdamW's state interface (viewState / exportState / importState), so the same safetensors state
 * file (encodeAdamWState) moves between the host Trainer and a WindowTrainer in either direction.
 */
export class FlatOptimizerState {
  readonly params: readonly AdamWParam[];
  readonly options: Readonly<Required<AdamWOptions>>;
  /** Optimizer steps taken so far (AdamW's t); a skipped (non-finite) step does not count. */
  step = 0;

  constructor(
    private readonly layout: FlatLayout,
    options: Required<AdamWOptions>,
    /** The moments' current buffers (they move between runs: the trainer double-buffers them). */
    private readonly current: () => { m: FlatTensors; v: FlatTensors },
  ) {
    this.params = layout.slots.map((s) => ({ name: s.spec.name, shape: [...s.spec.shape] }));
    this.options = Object.freeze({ ...options });
  }

  /** The state without copying: the moment arrays are views of the trainer's buffers, valid until its next run. */
  viewState(): AdamWState {
    const { m, v } = this.current();
    return { step: this.step, m: flatRecord(this.layout, m), v: flatRecord(this.layout, v) };
  }

  exportState(): AdamWState {
    return copyAdamWState(this.viewState());
  }

  /** Restores a state exported by any AdamW over the same parameters (names and sizes checked first). */
  importState(state: AdamWState): void {
    const { m: ms, v: vs } = checkedMoments(state, this.layout.slots.map((s) => ({ name: s.spec.name, size: s.size })));
    const { m, v } = this.current();
    this.layout.slots.forEach((s, i) => {
      m[s.segment].set(ms[i]!, s.offset);
      v[s.segment].set(vs[i]!, s.offset);
    });
    this.step = state.step;
  }

  /** Zero moments and step 0 (a fresh optimizer). */
  reset(): void {
    const { m, v } = this.current();
    for (const s of SEGMENTS) {
      m[s].fill(0);
      v[s].fill(0);
    }
    this.step = 0;
  }
}
