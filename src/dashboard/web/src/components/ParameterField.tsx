import type { ParameterInfo } from '../../../api/contract.ts';
import type { FormValue } from '../lib/parameterForm.ts';

interface ParameterFieldProps {
  param: ParameterInfo;
  value: FormValue;
  error?: string;
  onChange: (value: FormValue) => void;
}

const TYPE_HINT: Record<ParameterInfo['type'], string> = {
  STRING: 'text',
  NUMBER_INTEGER: 'integer',
  NUMBER_DOUBLE: 'number',
  BOOLEAN: 'yes / no',
};

/** One run parameter as the input its type calls for. */
export function ParameterField({ param: p, value, error, onChange }: ParameterFieldProps) {
  const id = `param-${p.name}`;
  const range = p.min !== undefined || p.max !== undefined ? `${p.min ?? '−∞'} … ${p.max ?? '∞'}` : undefined;
  const hint = [TYPE_HINT[p.type], range, p.default !== undefined ? `default ${p.default === '' ? '""' : String(p.default)}` : undefined].filter(Boolean).join(' · ');
  const common = { id, name: p.name, 'data-testid': `param-input-${p.name}`, 'aria-invalid': error ? true : undefined, 'aria-describedby': `${id}-hint` };

  let input;
  if (p.type === 'BOOLEAN') {
    input = <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
  } else if (p.enum && p.enum.length > 0) {
    input = (
      <select {...common} value={String(value)} onChange={(e) => onChange(e.target.value)}>
        {p.enum.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else if (p.type === 'STRING') {
    input = <input {...common} type="text" value={String(value)} onChange={(e) => onChange(e.target.value)} maxLength={2048} spellCheck={false} autoComplete="off" />;
  } else {
    input = (
      <input
        {...common}
        type="number"
        inputMode={p.type === 'NUMBER_INTEGER' ? 'numeric' : 'decimal'}
        step={p.type === 'NUMBER_INTEGER' ? 1 : 'any'}
        min={p.min}
        max={p.max}
        value={String(value)}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }

  return (
    <div className={`field param-field${p.type === 'BOOLEAN' ? ' param-field--bool' : ''}${error ? ' has-error' : ''}`}>
      <label htmlFor={id} className="field__label mono">
        {p.name}
      </label>
      {input}
      <span id={`${id}-hint`} className={error ? 'field__error' : 'field__hint'}>
        {error ?? hint}
      </span>
    </div>
  );
}
