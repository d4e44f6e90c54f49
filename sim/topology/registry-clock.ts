/**
 * Runs each discovery registry (`sim/resilience/discovery.ts`) on the kernel: a health-check round
 * at `checkPhase + k·interval` and a refresh of the callers' copy at `refreshPhase + k·ttl`, until
 * the end of the run. Scenarios without discovery schedule nothing here, so their event sequence
 * (and output) is what it was.
 */
import type { Kernel } from '../kernel/kernel.js';
import type { Registry } from '../resilience/discovery.js';

/** The registries of one replication, on the kernel's clock. */
export class RegistryClock {
  private readonly live: Registry[];
  /** Rounds done per registry: checks, refreshes (instants are phase + k·period, not sums). */
  private readonly checks: Int32Array;
  private readonly refreshes: Int32Array;
  private readonly hCheck: number;
  private readonly hRefresh: number;

  constructor(
    private readonly kernel: Kernel,
    registries: readonly (Registry | undefined)[],
    private readonly until: number,
  ) {
    this.live = registries.filter((r): r is Registry => r !== undefined);
    this.checks = new Int32Array(this.live.length);
    this.refreshes = new Int32Array(this.live.length);
    this.hCheck = kernel.on((i) => this.tick(i, true));
    this.hRefresh = kernel.on((i) => this.tick(i, false));
  }

  /** Lists the replicas up now and schedules the first check and refresh (call once replicas are up). */
  begin(): void {
    this.live.forEach((reg, i) => {
      reg.begin();
      this.kernel.at(reg.checkPhase, this.hCheck, i);
      if (reg.spec.ttl > 0) this.kernel.at(reg.refreshPhase, this.hRefresh, i);
    });
  }

  private tick(i: number, check: boolean): void {
    const reg = this.live[i];
    const now = this.kernel.now;
    if (check) reg.check(now);
    else reg.refresh(now);
    const k = check ? ++this.checks[i] : ++this.refreshes[i];
    const next = check ? reg.checkPhase + k * reg.spec.interval : reg.refreshPhase + k * reg.spec.ttl;
    if (next <= this.until) this.kernel.at(next, check ? this.hCheck : this.hRefresh, i);
  }
}
