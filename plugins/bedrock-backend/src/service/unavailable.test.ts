import { mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { ConfigReader } from '@backstage/config';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import {
  asUnavailable,
  RETRY_AFTER_SECONDS,
  unavailableErrors,
  unavailableReason,
} from './unavailable';

const withCode = (message: string, code: string) =>
  Object.assign(new Error(message), { code });

describe('unavailableReason', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    [
      'a restart (57P01 admin_shutdown)',
      withCode('terminating connection due to administrator command', '57P01'),
    ],
    [
      'a server starting up (57P03 cannot_connect_now)',
      withCode('the database system is starting up', '57P03'),
    ],
    ['a connection exception (08006)', withCode('connection failure', '08006')],
    [
      "knex's pool timeout",
      Object.assign(
        new Error(
          'Knex: Timeout acquiring a connection. The pool is probably full.',
        ),
        { name: 'KnexTimeoutError' },
      ),
    ],
    [
      'a terminated connection',
      new Error('Connection terminated unexpectedly'),
    ],
    [
      'a refusal wrapped in a cause (fetch)',
      new TypeError('fetch failed', {
        cause: withCode('connect ECONNREFUSED', 'ECONNREFUSED'),
      }),
    ],
    [
      'a refusal on every address (AggregateError)',
      new AggregateError([withCode('connect ECONNREFUSED', 'ECONNREFUSED')]),
    ],
    [
      'the catalog answering 503',
      Object.assign(new Error('Request failed with 503'), {
        name: 'ResponseError',
        statusCode: 503,
      }),
    ],
    ['a ServiceUnavailableError', new ServiceUnavailableError('AWS is slow')],
  ])('recognises %s', (_what, error) => {
    expect(unavailableReason(error)).toEqual(expect.any(String));
    expect(asUnavailable(error)?.name).toBe('ServiceUnavailableError');
  });

  it.each([
    [
      'a programming error',
      new TypeError("Cannot read properties of undefined (reading 'x')"),
    ],
    ['a SQL error', withCode('column "nope" does not exist', '42703')],
    ['a unique violation', withCode('duplicate key value', '23505')],
    ['a not-found', new NotFoundError('no such entity')],
    [
      'the catalog answering 404',
      Object.assign(new Error('Request failed with 404'), {
        name: 'ResponseError',
        statusCode: 404,
      }),
    ],
    ['a string', 'oops'],
    ['nothing', undefined],
  ])('leaves %s alone', (_what, error) => {
    expect(unavailableReason(error)).toBeUndefined();
    expect(asUnavailable(error)).toBeUndefined();
  });
});

describe('unavailableErrors', () => {
  function app(error: unknown) {
    const router = Router();
    router.get('/x', async () => {
      throw error;
    });
    router.use(unavailableErrors());
    const middleware = MiddlewareFactory.create({
      config: new ConfigReader({}),
      logger: mockServices.logger.mock(),
    });
    return express().use(router).use(middleware.error());
  }

  it('answers 503 with Retry-After and a Backstage error body when the database is down', async () => {
    const res = await request(
      app(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')),
    ).get('/x');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
    expect(res.body.error).toEqual(
      expect.objectContaining({
        name: 'ServiceUnavailableError',
        message: expect.stringContaining('unavailable for a moment'),
      }),
    );
    expect(res.body.response).toEqual({ statusCode: 503 });
  });

  it('keeps a programming error a 500, without Retry-After', async () => {
    const res = await request(app(new TypeError('x is not a function'))).get(
      '/x',
    );
    expect(res.status).toBe(500);
    expect(res.headers['retry-after']).toBeUndefined();
  });

  it('keeps an input error what it is', async () => {
    const res = await request(app(new NotFoundError('no such entity'))).get(
      '/x',
    );
    expect(res.status).toBe(404);
    expect(res.headers['retry-after']).toBeUndefined();
  });
});
