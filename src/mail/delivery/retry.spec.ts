import { answerFromError, retryDelayMs, RETRY_SCHEDULE } from './retry';

describe('retry schedule', () => {
  it('makes the first retry within a minute', () => {
    for (const r of [0, 0.5, 0.999]) expect(retryDelayMs(1, 30_000, () => r)).toBeLessThan(60_000);
  });

  it.each(RETRY_SCHEDULE.map((step, i) => [i + 1, step]))('retry %i waits %i× the first delay, ±20%', (n, step) => {
    expect(retryDelayMs(n, 1000, () => 0.5)).toBe(step * 1000);
    expect(retryDelayMs(n, 1000, () => 0)).toBe(Math.round(step * 1000 * 0.8));
    expect(retryDelayMs(n, 1000, () => 1)).toBe(Math.round(step * 1000 * 1.2));
  });

  it('grows, then stays at its last step', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map((n) => retryDelayMs(n, 1000, () => 0.5));
    expect([...delays].sort((a, b) => a - b)).toEqual(delays);
    expect(delays[9]).toBe(delays[8]);
  });
});

describe('answerFromError', () => {
  it.each([
    [{ responseCode: 451, response: '451 4.3.0 Try later', code: 'EENVELOPE' }, 'temporary', '451 4.3.0 Try later'],
    [{ responseCode: 421, response: '421 4.4.2 Closing' }, 'temporary', '421 4.4.2 Closing'],
    [{ responseCode: 550, response: '550 5.1.1 No such user' }, 'permanent', '550 5.1.1 No such user'],
    [{ responseCode: 552, response: '552 5.3.4 Too big' }, 'permanent', '552 5.3.4 Too big'],
    [{ code: 'ECONNECTION', message: 'connect ECONNREFUSED 127.0.0.1:2626' }, 'temporary', 'ECONNECTION: connect ECONNREFUSED 127.0.0.1:2626'],
    [{ code: 'ETIMEDOUT', message: 'Greeting never received' }, 'temporary', 'ETIMEDOUT: Greeting never received'],
  ])('%j is %s', (err, outcome, response) => {
    expect(answerFromError(err)).toEqual({ outcome, response });
  });
});
