/**
 * Which of a store's nodes can answer a read: crashed nodes, regions under an `outage`, and regions
 * partitioned from the coordinator's. One state the simulator (`store.ts`) and the twin
 * (`loadtests/twin/store.ts`) share, so both decide alike which asked copies answer.
 */
import type { StoreGeo, StorePlacement } from './store-placement.js';

/** Up/down state of a store's nodes and regions. */
export class StoreHealth {
  /** 1 when node `i` is up (not crashed). */
  private readonly up: Uint8Array;
  /** Per store region: outages holding it down (they may overlap). */
  private readonly regionDown: Int32Array;
  /** Per store region: nodes up (crashes counted; outages not). */
  private readonly upIn: Int32Array;

  constructor(private readonly placement: StorePlacement) {
    this.up = new Uint8Array(placement.nodes).fill(1);
    this.regionDown = new Int32Array(placement.dcs.length);
    this.upIn = new Int32Array(placement.dcs.length).fill(placement.shards);
  }

  /** Whether store region `dc` has a node up and no outage (a coordinator can be there). */
  readonly hasLive = (dc: number): boolean => this.regionDown[dc] === 0 && this.upIn[dc] > 0;

  /** Crashes node `node` (or brings it back with `isDown` false); false when it already was so. */
  crash(node: number, isDown: boolean): boolean {
    const next = isDown ? 0 : 1;
    if (node >= this.up.length || this.up[node] === next) return false;
    this.up[node] = next;
    this.upIn[this.placement.dcOf(node)] += isDown ? -1 : 1;
    return true;
  }

  /** An outage of scenario region `region` starts (+1) or ends (-1): its nodes stop answering. */
  outage(region: number, delta: number): void {
    const dcs = this.placement.dcs;
    for (let d = 0; d < dcs.length; d++) if (dcs[d] === region) this.regionDown[d] += delta;
  }

  /**
   * Whether asked node `node` answers a read coordinated in store region `dc`: it is up, its region
   * has no outage, and (in another region) the coordinator's region reaches it. `geo` is needed only
   * for a store with regions (without, every node is in the coordinator's region).
   */
  answers(node: number, dc: number, geo: StoreGeo | undefined): boolean {
    if (this.up[node] === 0) return false;
    const d = this.placement.dcOf(node);
    if (this.regionDown[d] > 0) return false;
    return d === dc || geo === undefined || geo.reachable(this.placement.dcs[dc], this.placement.dcs[d]);
  }
}
