// One regression tree as struct-of-arrays, laid out like XGBoost's RegTree so that saving and
// loading XGBoost JSON is a field-for-field copy. Node 0 is the root; a split allocates its two
// children next to each other. For a leaf, `splitCondition` holds the leaf value (XGBoost keeps
// both in one union), `left`/`right` are -1 and `splitIndex` is 0.
// Values are float32 because XGBoost's are; this is the canonical model every reader uses.

export const NO_NODE = -1;

export interface RegTreeArrays {
  left: Int32Array;
  right: Int32Array;
  parent: Int32Array;
  splitIndex: Int32Array;
  splitCondition: Float32Array;
  defaultLeft: Uint8Array;
  baseWeight: Float32Array;
  lossChg: Float32Array;
  sumHess: Float32Array;
}

export class RegTree implements RegTreeArrays {
  numNodes = 0;
  left: Int32Array;
  right: Int32Array;
  parent: Int32Array;
  splitIndex: Int32Array;
  splitCondition: Float32Array;
  defaultLeft: Uint8Array;
  baseWeight: Float32Array;
  lossChg: Float32Array;
  sumHess: Float32Array;

  constructor(capacity = 16) {
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.parent = new Int32Array(capacity);
    this.splitIndex = new Int32Array(capacity);
    this.splitCondition = new Float32Array(capacity);
    this.defaultLeft = new Uint8Array(capacity);
    this.baseWeight = new Float32Array(capacity);
    this.lossChg = new Float32Array(capacity);
    this.sumHess = new Float32Array(capacity);
  }

  isLeaf(nid: number): boolean {
    return this.left[nid] === NO_NODE;
  }

  leafValue(nid: number): number {
    return this.splitCondition[nid];
  }

  /** A tree of just a root leaf. */
  static withRoot(leafValue: number, baseWeight: number, sumHess: number): RegTree {
    const t = new RegTree();
    const root = t.allocNode(NO_NODE);
    t.setLeaf(root, leafValue, baseWeight, sumHess);
    return t;
  }

  /** Turns leaf `nid` into a split with two new leaf children; returns the left child's id. */
  expandNode(
    nid: number,
    feature: number,
    splitValue: number,
    defaultLeft: boolean,
    baseWeight: number,
    leftLeaf: number,
    rightLeaf: number,
    lossChg: number,
    sumHess: number,
    leftHess: number,
    rightHess: number,
  ): number {
    const l = this.allocNode(nid);
    const r = this.allocNode(nid);
    this.left[nid] = l;
    this.right[nid] = r;
    this.splitIndex[nid] = feature;
    this.splitCondition[nid] = splitValue;
    this.defaultLeft[nid] = defaultLeft ? 1 : 0;
    this.baseWeight[nid] = baseWeight;
    this.lossChg[nid] = lossChg;
    this.sumHess[nid] = sumHess;
    // XGBoost records a new leaf's learning-rate-scaled value as its base weight too.
    this.setLeaf(l, leftLeaf, leftLeaf, leftHess);
    this.setLeaf(r, rightLeaf, rightLeaf, rightHess);
    return l;
  }

  /** Appends a node with the given parent; its fields are those of an empty leaf. */
  allocNode(parent: number): number {
    if (this.numNodes === this.left.length) this.grow(Math.max(16, this.left.length * 2));
    const id = this.numNodes++;
    this.parent[id] = parent;
    this.left[id] = NO_NODE;
    this.right[id] = NO_NODE;
    return id;
  }

  setLeaf(nid: number, value: number, baseWeight: number, sumHess: number): void {
    this.left[nid] = NO_NODE;
    this.right[nid] = NO_NODE;
    this.splitIndex[nid] = 0;
    this.splitCondition[nid] = value;
    this.defaultLeft[nid] = 0;
    this.baseWeight[nid] = baseWeight;
    this.lossChg[nid] = 0;
    this.sumHess[nid] = sumHess;
  }

  /** Wraps arrays that already hold a whole tree (e.g. from a model file); they are not copied. */
  static fromArrays(fields: RegTreeArrays): RegTree {
    const t = new RegTree(0);
    Object.assign(t, fields);
    t.numNodes = fields.left.length;
    return t;
  }

  private grow(capacity: number): void {
    const n = this.numNodes;
    const copy = <T extends Int32Array | Float32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacity);
      b.set(a.subarray(0, n));
      return b;
    };
    this.left = copy(this.left, (c) => new Int32Array(c));
    this.right = copy(this.right, (c) => new Int32Array(c));
    this.parent = copy(this.parent, (c) => new Int32Array(c));
    this.splitIndex = copy(this.splitIndex, (c) => new Int32Array(c));
    this.splitCondition = copy(this.splitCondition, (c) => new Float32Array(c));
    this.defaultLeft = copy(this.defaultLeft, (c) => new Uint8Array(c));
    this.baseWeight = copy(this.baseWeight, (c) => new Float32Array(c));
    this.lossChg = copy(this.lossChg, (c) => new Float32Array(c));
    this.sumHess = copy(this.sumHess, (c) => new Float32Array(c));
  }
}
