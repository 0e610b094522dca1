import { ConfigReader } from '@backstage/config';
import { readNotifySettings } from './config';

describe('readNotifySettings', () => {
  it('turns everything on by default', () => {
    expect(readNotifySettings(new ConfigReader({}))).toEqual({
      enabled: true,
      events: {
        budgetThreshold: true,
        alarm: true,
        anomaly: true,
        idle: true,
        suspension: true,
      },
      budgetThresholds: [50, 80, 100],
      signals: true,
    });
  });

  it('reads each event type, the thresholds and signals', () => {
    const s = readNotifySettings(
      new ConfigReader({
        bedrock: {
          notifications: {
            enabled: false,
            budgetThresholds: [90, 75, 90],
            events: { idle: { enabled: false } },
          },
          signals: { enabled: false },
        },
      }),
    );
    expect(s.enabled).toBe(false);
    expect(s.events.idle).toBe(false);
    expect(s.events.alarm).toBe(true);
    expect(s.budgetThresholds).toEqual([90, 75]);
    expect(s.signals).toBe(false);
  });

  it('says what is wrong with the thresholds', () => {
    expect(() =>
      readNotifySettings(
        new ConfigReader({
          bedrock: { notifications: { budgetThresholds: [0.8] } },
        }),
      ),
    ).toThrow(/budgetThresholds must list percentages between 1 and 1000/);
  });
});
