// Encodes a model document as JSON text exactly as XGBoost's JsonWriter does: no whitespace,
// keys sorted, integers plainly and floats as their shortest float32 text ("5E-1"). Assembled
// by hand because JSON.stringify cannot print XGBoost's float style.
import { ModelError } from '../../core/index.ts';
import { sortedKeys, TypedValues, type DocValue } from './document.ts';
import { formatFloat32 } from './float32Text.ts';

export function documentToJson(doc: DocValue): string {
  const parts: string[] = [];
  write(doc, '', parts);
  return parts.join('');
}

function write(v: DocValue, path: string, out: string[]): void {
  if (typeof v === 'string') out.push(JSON.stringify(v));
  else if (typeof v === 'number') out.push(integerText(v, path));
  else if (typeof v === 'boolean') out.push(v ? 'true' : 'false');
  else if (v instanceof TypedValues) out.push(`[${typedText(v, path)}]`);
  else if (Array.isArray(v)) {
    out.push('[');
    (v as readonly DocValue[]).forEach((e, i) => {
      if (i > 0) out.push(',');
      write(e, `${path}[${i}]`, out);
    });
    out.push(']');
  } else {
    const o = v as Readonly<Record<string, DocValue>>;
    out.push('{');
    sortedKeys(o).forEach((k, i) => {
      out.push(i > 0 ? ',' : '', JSON.stringify(k), ':');
      write(o[k], path === '' ? k : `${path}.${k}`, out);
    });
    out.push('}');
  }
}

function typedText(t: TypedValues, path: string): string {
  const a = t.values;
  const out: string[] = new Array(a.length);
  if (t.kind === 'f32') {
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(Math.fround(a[i]))) throw new ModelError('gbdt.nonFiniteModelValue', { what: `${path}[${i}]` });
      out[i] = formatFloat32(a[i]);
    }
  } else {
    for (let i = 0; i < a.length; i++) out[i] = integerText(a[i], `${path}[${i}]`);
  }
  return out.join(',');
}

function integerText(n: number, path: string): string {
  if (!Number.isSafeInteger(n)) throw new ModelError('gbdt.nonFiniteModelValue', { what: `${path} (${n}, expected an integer)` });
  return String(n);
}
