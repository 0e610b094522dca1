import { render, waitFor } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('renders the sign-in page of the configured app', async () => {
    // the app's features load lazily: slow on a busy 2-core machine
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Bedrock Tenancy Test' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };
    const rendered = render(App.createRoot());
    await waitFor(
      () => {
        expect(rendered.baseElement.textContent).toContain(
          'Bedrock Tenancy Test',
        );
      },
      { timeout: 30_000 },
    );
  }, 60_000);
});
