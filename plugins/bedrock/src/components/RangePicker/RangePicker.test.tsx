import { fireEvent, render, screen } from '@testing-library/react';
import { customRange, RangePicker } from './RangePicker';

describe('customRange', () => {
  it('spans whole UTC days, the last one included', () => {
    expect(customRange('2026-11-01', '2026-11-01')).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-02T00:00:00.000Z',
    });
  });

  it('refuses an end before the start', () => {
    expect(customRange('2026-11-05', '2026-11-01')).toBeUndefined();
    expect(customRange('', '2026-11-01')).toBeUndefined();
  });
});

describe('RangePicker', () => {
  it('keeps Apply off and says why while the dates are backwards', () => {
    const onChange = jest.fn();
    render(<RangePicker value={{ preset: '7d' }} onChange={onChange} />);
    expect(screen.getByRole('button', { name: '7 d' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Custom' }));
    fireEvent.change(screen.getByLabelText('From (UTC)'), {
      target: { value: '2026-11-05' },
    });
    fireEvent.change(screen.getByLabelText('To (UTC)'), {
      target: { value: '2026-11-01' },
    });
    expect(screen.getByRole('button', { name: 'Apply' })).toBeDisabled();
    expect(screen.getByText('To must not be before From')).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
  });

  it('reports a preset', () => {
    const onChange = jest.fn();
    render(<RangePicker value={{ preset: '7d' }} onChange={onChange} />);
    fireEvent.click(screen.getByRole('button', { name: 'Month to date' }));
    expect(onChange).toHaveBeenCalledWith({ preset: 'mtd' });
  });
});
