import { retryOn } from './retry';

describe('retryOn', () => {
  const err = (name: string) => Object.assign(new Error(name), { name });

  it('retries only the named errors, up to the attempt limit', async () => {
    const fn = jest
      .fn()
      .mockRejectedValueOnce(err('ValidationException'))
      .mockRejectedValueOnce(err('ValidationException'))
      .mockResolvedValue('ok');
    await expect(
      retryOn(['ValidationException'], { attempts: 3, delayMs: 1 }, fn),
    ).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(3);

    const always = jest.fn().mockRejectedValue(err('ValidationException'));
    await expect(
      retryOn(['ValidationException'], { attempts: 2, delayMs: 1 }, always),
    ).rejects.toThrow('ValidationException');
    expect(always).toHaveBeenCalledTimes(2);

    const other = jest.fn().mockRejectedValue(err('ThrottlingException'));
    await expect(
      retryOn(['ValidationException'], { attempts: 5, delayMs: 1 }, other),
    ).rejects.toThrow('ThrottlingException');
    expect(other).toHaveBeenCalledTimes(1);
  });
});
