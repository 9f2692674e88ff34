import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageBin } from './local/packageBin.js';

/**
 * The deployment files can't run here (no real subtensor, no R2, no systemd), so they are checked
 * against the real CLIs instead: every variable in the env examples is one the process reads, and every
 * command line in the compose file and the systemd units parses (`--print-config` exits 0).
 */
const file = (path: string) => readFileSync(fileURLToPath(new URL(`../${path}`, import.meta.url)), 'utf8');
const bins = { miner: () => packageBin('@crucible/miner', 'crucible-miner'), validator: () => packageBin('@crucible/validator', 'crucible-validator') };

function run(bin: string, args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

function envNames(example: string): string[] {
  return [...example.matchAll(/^#?\s*(CRUCIBLE_[A-Z0-9_]+)=/gm)].map((m) => m[1]!).filter((n) => !n.startsWith('CRUCIBLE_COLDKEY_PASSWORD_'));
}

function knownEnv(bin: string, command: string[] = []): Set<string> {
  return new Set([...run(bin, [...command, '--help']).out.matchAll(/env (CRUCIBLE_[A-Z0-9_]+)/g)].map((m) => m[1]!));
}

describe('deployment files', () => {
  it.each([
    ['env/miner.env.example', 'miner'],
    ['env/validator.env.example', 'validator'],
  ] as const)('%s names only variables the %s reads', (path, which) => {
    const known = knownEnv(bins[which]());
    const names = envNames(file(path));
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => !known.has(n))).toEqual([]);
  });

  it('compose commands parse', () => {
    const compose = file('docker/docker-compose.yml');
    const commands = [...compose.matchAll(/command: (\["(?:miner|validator)\/bin\/crucible-(?:miner|validator)\.js".*\])/g)].map((m) => JSON.parse(m[1]!) as string[]);
    expect(commands).toHaveLength(3);
    for (const [script, ...args] of commands) {
      const r = run(script!.startsWith('miner') ? bins.miner() : bins.validator(), [...args, '--print-config']);
      expect(r.out).not.toMatch(/CONFIG_INVALID|USAGE/);
      expect(r.status).toBe(0);
    }
  });

  it.each(['crucible-miner.service', 'crucible-validator.service', 'crucible-validator-worker@.service'])('systemd/%s ExecStart parses', (unit) => {
    const exec = /^ExecStart=\/usr\/bin\/node \/opt\/crucible\/(miner|validator)\/bin\/crucible-(?:miner|validator)\.js (.*)$/m.exec(file(`systemd/${unit}`));
    expect(exec).not.toBeNull();
    const args = exec![2]!.replace(/%i/g, '1').split(/\s+/);
    const r = run(exec![1] === 'miner' ? bins.miner() : bins.validator(), [...args, '--print-config']);
    expect(r.out).not.toMatch(/CONFIG_INVALID|USAGE/);
    expect(r.status).toBe(0);
  });

  it.each(['crucible-miner.service', 'crucible-validator.service', 'crucible-validator-worker@.service'])('systemd/%s restarts a crash with backoff and never gives up', (unit) => {
    const text = file(`systemd/${unit}`);
    expect(text).toMatch(/^Restart=on-failure$/m);
    expect(text).toMatch(/^RestartSec=\d+$/m);
    expect(Number(/^RestartMaxDelaySec=(\d+)$/m.exec(text)?.[1])).toBeGreaterThan(Number(/^RestartSec=(\d+)$/m.exec(text)?.[1]));
    expect(text).toMatch(/^\[Unit\][^[]*^StartLimitIntervalSec=0$/m);
  });

  it('compose restarts every service', () => {
    const compose = file('docker/docker-compose.yml');
    const services = [...compose.matchAll(/^  ([a-z]+):$/gm)].map((m) => m[1]!).filter((n) => !['redis-data', 'miner-state', 'validator-state'].includes(n));
    expect(services).toEqual(['redis', 'miner', 'validator', 'worker']);
    expect([...compose.matchAll(/^    restart: unless-stopped$/gm)]).toHaveLength(services.length);
  });
});
