// The systemd unit we ship: the one in the README, valid for systemd, and one
// that a SIGHUP during Node's boot cannot leave down.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const UNIT = 'deploy/systemd/wsmon.service';
const unit = readFileSync(UNIT, 'utf8');

describe('systemd unit', () => {
  it('is the one the README shows', () => {
    expect(readFileSync('README.md', 'utf8')).toContain(`\`\`\`ini\n${unit}\`\`\``);
  });

  it('restarts after a death by SIGHUP (a reload during boot), which systemd otherwise counts as clean', () => {
    const service = Object.fromEntries(
      unit
        .split('\n')
        .filter((l) => /^\w+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(service).toMatchObject({ Restart: 'on-failure', RestartForceExitStatus: 'SIGHUP', ExecReload: '/bin/kill -HUP $MAINPID' });
  });

  it.skipIf(!existsSync('/usr/bin/systemd-analyze'))('passes systemd-analyze verify', () => {
    // Its only complaints may be about paths of the target machine (node, /opt/wsmon) that this one lacks.
    let out: string;
    try {
      out = execFileSync('systemd-analyze', ['verify', UNIT], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      out = `${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}`;
    }
    expect(out.split('\n').filter((l) => l.trim() && !/is not executable|No such file or directory|Command .* is not executable/.test(l))).toEqual([]);
  });
});
