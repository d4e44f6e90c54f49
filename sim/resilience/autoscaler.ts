/**
 * Target-tracking autoscaling (the rule of Kubernetes' HPA and AWS target tracking): every `every`
 * seconds, measure the utilization of the replicas serving over the last interval and ask for
 * `ceil(serving × utilization / target)` replicas, clamped to [min, max], where `serving` counts
 * the replicas that served through the interval (their time average): one that became ready at the
 * very check carried none of the measured load. New replicas serve after
 * `provision` seconds (and are paid from the request). Scaling out is never delayed; scaling in waits
 * until `cooldown` seconds have passed since the last change, so a dip right after a scale-out does
 * not undo it (HPA's scale-down stabilisation).
 *
 * Like the HPA, it ignores deviations within 10 % of the target (`TOLERANCE`), so noise in the
 * measured utilization does not flap the replica count by one.
 *
 * Utilization is measured on workers, and a worker stays busy while its request waits on
 * downstream calls (thread-per-request), so a slow dependency scales its callers out too, as it does
 * in real thread-pool servers.
 */
import type { Service } from '../../scenarios/service.js';

type AutoscaleOptions = NonNullable<Service['autoscale']>;

/** Relative deviation from the target that causes no change (Kubernetes' default, 0.1). */
export const TOLERANCE = 0.1;

/** The decision rule of one autoscaled group. */
export class Autoscaler {
  readonly opts: AutoscaleOptions;
  private lastChange = Number.NEGATIVE_INFINITY;

  constructor(opts: AutoscaleOptions) {
    this.opts = opts;
  }

  /**
   * How many replicas the group should have (serving plus provisioning), given `serving` replicas
   * on average through the window that were `utilization` busy, `current` replicas in total (serving plus provisioning) at `now`.
   * Returns `current` when nothing should change.
   */
  decide(serving: number, utilization: number, current: number, now: number): number {
    const { min, max, target } = this.opts;
    const ratio = utilization / target;
    if (Math.abs(ratio - 1) <= TOLERANCE && current >= min && current <= max) return current;
    const want = Math.min(max, Math.max(min, Math.ceil(serving * ratio - 1e-9)));
    if (want > current) {
      this.lastChange = now;
      return want;
    }
    if (want < current && now - this.lastChange >= this.opts.cooldown) {
      this.lastChange = now;
      return want;
    }
    return current;
  }
}
