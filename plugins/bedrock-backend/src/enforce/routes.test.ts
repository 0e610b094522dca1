import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import { addEnforcementRoutes } from './routes';

function app(result: AuthorizeResult) {
  const authorize = jest.fn(async (reqs: any[]) =>
    reqs.map(() => ({ result })),
  );
  const plan = jest.fn(async () => ({
    dryRun: false,
    enabled: true,
    generatedAt: '2026-11-20T12:00:00.000Z',
    tenants: [],
  }));
  const router = Router();
  addEnforcementRoutes(router, {
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.user('user:default/ann'),
    }),
    permissions: mockServices.permissions.mock({ authorize: authorize as any }),
    plan,
  });
  const middleware = MiddlewareFactory.create({
    config: mockServices.rootConfig(),
    logger: mockServices.logger.mock(),
  });
  const server = express().use(router).use(middleware.error());
  return { server, authorize, plan };
}

describe('GET /enforcement/plan', () => {
  it('answers the plan to a Bedrock admin (bedrock.binding.manage)', async () => {
    const { server, authorize, plan } = app(AuthorizeResult.ALLOW);
    const res = await request(server).get('/enforcement/plan');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: false, tenants: [] });
    expect(authorize.mock.calls[0][0][0].permission.name).toBe(
      'bedrock.binding.manage',
    );
    expect(plan).toHaveBeenCalledTimes(1);
  });

  it('refuses everyone else, without computing the plan (it reads AWS)', async () => {
    const { server, plan } = app(AuthorizeResult.DENY);
    const res = await request(server).get('/enforcement/plan');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/bedrock.binding.manage/);
    expect(plan).not.toHaveBeenCalled();
  });
});
