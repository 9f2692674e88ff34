import { CrucibleError } from '@crucible/core';
import { encodeModelProto, onnxAttributeType, onnxDataType } from './schema.js';

/** Floating-point precision of a graph: float32 for training, float64 for gradient tests. */
export type FloatType = 'float32' | 'float64';
export type ElemType = FloatType | 'int64' | 'bool';

/** A named tensor in a graph with its static shape (every shape in Crucible's graphs is static). */
export interface Value {
  readonly name: string;
  readonly shape: readonly number[];
  readonly elem: ElemType;
  /**
   * Symbolic names of dimensions whose length is known only when the graph runs (a Loop's scan
   * outputs have one entry per iteration actually run); `shape` then holds their largest length.
   * Only graph inputs and outputs record them.
   */
  readonly dimNames?: readonly (string | undefined)[];
}

/**
 * Integral numbers encode as INT, others as FLOAT; `{ float }` forces FLOAT, arrays are INTS;
 * `{ graph }` is a subgraph (the body of a Loop), serialised when the enclosing graph is.
 */
export type AttrValue = number | string | readonly number[] | { float: number } | { ints: readonly number[] } | { graph: GraphBuilder; name: string };

export interface GraphBuilderOptions {
  /**
   * Prefix of every generated name. A subgraph (a Loop body) may read values of the graphs around it
   * by name, so its own names must not collide with theirs: give each nested builder its own prefix.
   */
  namePrefix?: string;
  /**
   * Whether op builders may use onnxruntime's `com.microsoft` contrib ops (FusedMatMul). Default true.
   * The WebGPU execution provider has no FusedMatMul kernel (it would run on the CPU, with copies both
   * ways), so graphs for it spell the product out as Transpose + MatMul + Mul.
   */
  contribOps?: boolean;
}

interface NodeSpec {
  opType: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
  domain: string;
}

interface Initializer {
  name: string;
  shape: readonly number[];
  elem: ElemType;
  data: ArrayLike<number>;
}

/** opset 17: LayerNormalization (17), ScatterND reduction=add (16), ReduceSum axes as input (13). */
export const OPSET = 17;
const IR_VERSION = 8;

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Builds one ONNX graph. Values carry static shapes so that op builders can compute reshapes and
 * broadcast reductions in TypeScript instead of with shape arithmetic inside the graph.
 */
export class GraphBuilder {
  readonly float: FloatType;
  readonly contribOps: boolean;
  private readonly prefix: string;
  private readonly nodes: NodeSpec[] = [];
  private readonly inputs: Value[] = [];
  private readonly outputs: Value[] = [];
  private readonly initializers: Initializer[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(float: FloatType = 'float32', options: GraphBuilderOptions = {}) {
    this.float = float;
    this.prefix = options.namePrefix ?? '';
    this.contribOps = options.contribOps ?? true;
  }

  /** A fresh unique tensor name derived from a hint. */
  fresh(hint: string): string {
    let name = `${this.prefix}${hint}_${this.counter++}`;
    while (this.names.has(name)) name = `${this.prefix}${hint}_${this.counter++}`;
    this.names.add(name);
    return name;
  }

  input(name: string, shape: readonly number[], elem: ElemType = this.float): Value {
    if (this.names.has(name)) throw new CrucibleError('INTERNAL', `duplicate graph name ${name}`);
    this.names.add(name);
    const v: Value = { name, shape: [...shape], elem };
    this.inputs.push(v);
    return v;
  }

  /** Marks `v` as a graph output called `name` (through an Identity node when the name differs). */
  output(v: Value, name: string = v.name): Value {
    let out = v;
    if (name !== v.name) {
      if (this.names.has(name)) throw new CrucibleError('INTERNAL', `duplicate graph name ${name}`);
      this.names.add(name);
      this.nodes.push({ opType: 'Identity', inputs: [v.name], outputs: [name], attrs: {}, domain: '' });
      out = { name, shape: v.shape, elem: v.elem, ...(v.dimNames === undefined ? {} : { dimNames: v.dimNames }) };
    }
    this.outputs.push(out);
    return out;
  }

  /**
   * Emits one node; `outs` gives each output's shape and element type (default: the graph float) and,
   * optionally, its name (to make it a graph output without an Identity node in between).
   */
  node(
    opType: string,
    inputs: readonly (Value | string)[],
    outs: readonly (readonly number[] | { shape: readonly number[]; elem: ElemType; name?: string })[],
    attrs: Record<string, AttrValue> = {},
    domain = '',
  ): Value[] {
    const outputs = outs.map((o) => {
      const spec = Array.isArray(o) ? { shape: o as readonly number[], elem: this.float } : (o as { shape: readonly number[]; elem: ElemType; name?: string });
      let name = spec.name;
      if (name === undefined) name = this.fresh(opType.toLowerCase());
      else if (this.names.has(name)) throw new CrucibleError('INTERNAL', `duplicate graph name ${name}`);
      else this.names.add(name);
      return { name, shape: [...spec.shape], elem: spec.elem } as Value;
    });
    this.nodes.push({
      opType,
      inputs: inputs.map((i) => (typeof i === 'string' ? i : i.name)),
      outputs: outputs.map((o) => o.name),
      attrs,
      domain,
    });
    return outputs;
  }

  /** Single-output convenience form of node(). */
  op(opType: string, inputs: readonly (Value | string)[], shape: readonly number[], attrs: Record<string, AttrValue> = {}, elem?: ElemType): Value {
    return this.node(opType, inputs, [{ shape, elem: elem ?? this.float }], attrs)[0]!;
  }

  /** A constant tensor stored as an initializer. */
  constant(data: ArrayLike<number>, shape: readonly number[], elem: ElemType = this.float, hint = 'const'): Value {
    if (data.length !== sizeOf(shape)) throw new CrucibleError('INTERNAL', `constant ${hint}: ${data.length} values for shape [${shape}]`);
    const name = this.fresh(hint);
    this.initializers.push({ name, shape: [...shape], elem, data });
    return { name, shape: [...shape], elem };
  }

  scalar(x: number): Value {
    return this.constant([x], [], this.float, 'scalar');
  }

  int64s(values: readonly number[]): Value {
    return this.constant(values, [values.length], 'int64', 'ints');
  }

  /** Serialises the graph as an ONNX ModelProto. */
  toBytes(graphName = 'crucible'): Uint8Array {
    return encodeModelProto({
      irVersion: IR_VERSION,
      producerName: 'crucible',
      producerVersion: '0.1.0',
      opsetImport: [
        { domain: '', version: OPSET },
        { domain: 'com.microsoft', version: 1 },
      ],
      graph: this.toGraph(graphName),
    });
  }

  /** The graph as a plain GraphProto object (what toBytes wraps; a Loop body's attribute holds one). */
  toGraph(graphName: string): Record<string, unknown> {
    const valueInfo = (v: Value) => ({
      name: v.name,
      type: {
        tensorType: {
          elemType: onnxDataType[elemKey(v.elem)],
          shape: { dim: v.shape.map((d, i) => (v.dimNames?.[i] === undefined ? { dimValue: d } : { dimParam: v.dimNames[i] })) },
        },
      },
    });
    return {
      name: graphName,
      node: this.nodes.map((n, i) => ({
        input: n.inputs,
        output: n.outputs,
        name: `${this.prefix}n${i}_${n.opType}`,
        opType: n.opType,
        domain: n.domain,
        attribute: Object.entries(n.attrs).map(([name, value]) => encodeAttr(name, value)),
      })),
      initializer: this.initializers.map((t) => ({
        name: t.name,
        dims: t.shape,
        dataType: onnxDataType[elemKey(t.elem)],
        rawData: rawBytes(t.data, t.elem),
      })),
      input: this.inputs.map(valueInfo),
      output: this.outputs.map(valueInfo),
    };
  }
}

function elemKey(e: ElemType): keyof typeof onnxDataType {
  return e === 'float32' ? 'float' : e === 'float64' ? 'double' : e;
}

function rawBytes(data: ArrayLike<number>, elem: ElemType): Uint8Array {
  if (elem === 'bool') return Uint8Array.from(data, (x) => (x ? 1 : 0));
  const arr =
    elem === 'float32'
      ? Float32Array.from(data)
      : elem === 'float64'
        ? Float64Array.from(data)
        : BigInt64Array.from(Array.from(data, (x) => BigInt(x)));
  // Tensor raw_data is little-endian, as are all platforms onnxruntime-node ships for.
  return new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
}

function encodeAttr(name: string, value: AttrValue): Record<string, unknown> {
  if (typeof value === 'string') return { name, type: onnxAttributeType.string, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { name, type: onnxAttributeType.int, i: value } : { name, type: onnxAttributeType.float, f: value };
  }
  if ('float' in value) return { name, type: onnxAttributeType.float, f: value.float };
  if ('graph' in value) return { name, type: onnxAttributeType.graph, g: value.graph.toGraph(value.name) };
  if ('ints' in value) return { name, type: onnxAttributeType.ints, ints: [...value.ints] };
  return { name, type: onnxAttributeType.ints, ints: [...value] };
}
