/**
 * `osls package` builds the CloudFormation template offline; the template must hold the table
 * (with its keys, GSIs, PITR, TTL), every function with its own least-privilege role, and every
 * HTTP route declared in serverless.yml.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');

describe('npm run package (osls package, offline)', () => {
  let template: any;
  let declared: { name: string; routes: string[] }[];

  beforeAll(() => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'jiayi-package-'));
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/.bin/tsx'), 'infra/src/package.ts', '--package', out, '--stage', 'dev'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    if (r.status !== 0) throw new Error(`osls package failed:\n${r.stdout}\n${r.stderr}`);
    template = JSON.parse(fs.readFileSync(path.join(out, 'cloudformation-template-update-stack.json'), 'utf8'));
    const sls = yaml.load(fs.readFileSync(path.join(ROOT, 'serverless.yml'), 'utf8').replace(/\$\{[^}]*\}/g, 'x')) as any;
    declared = Object.entries(sls.functions as Record<string, any>).map(([name, fn]) => ({
      name,
      routes: (fn.events ?? []).filter((e: any) => e.httpApi).map((e: any) => e.httpApi as string),
    }));
  }, 240_000);

  it('has the single table with its keys, indexes, PITR and TTL', () => {
    const table = template.Resources.MainTable;
    expect(table.Type).toBe('AWS::DynamoDB::Table');
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.Properties.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table.Properties.GlobalSecondaryIndexes.map((g: any) => g.IndexName)).toEqual(['gsi1', 'gsi2', 'gsi3']);
    expect(table.Properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled).toBe(true);
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(table.Properties.DeletionProtectionEnabled).toBe(false); // true only on the prod stage
  });

  it('has every function, each with its own IAM role', () => {
    const fns = Object.entries(template.Resources as Record<string, any>).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    expect(fns.length).toBe(declared.length);
    for (const [, fn] of fns) {
      expect(fn.Properties.Runtime).toBe('nodejs20.x');
      const role = fn.Properties.Role['Fn::GetAtt'][0] as string;
      expect(role).not.toBe('IamRoleLambdaExecution');
      expect(template.Resources[role].Type).toBe('AWS::IAM::Role');
    }
  });

  it('routes every declared HTTP API route to its function', () => {
    const routes = Object.values(template.Resources as Record<string, any>)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
      .map((r) => r.Properties.RouteKey as string);
    const expected = declared.flatMap((d) => d.routes);
    expect(expected.length).toBeGreaterThan(0);
    expect(routes.sort()).toEqual([...expected].sort());
  });
});
