// The cost table for a terminal and the same figures as JSON. Meter names come from the API, so
// they pass through printable (no escape sequence from an answer reaches the terminal) and excerpt.
import { excerpt } from '../../core/excerpt.ts';
import { printable, printableJson } from '../../core/terminalText.ts';
import type { CostEstimate, CostLine } from './estimate.ts';

/** Prices such as 0.005 per IP-hour need four decimals; totals per 30 days need two. */
const money = (n: number, digits = 4) => n.toFixed(digits);

function cells(l: CostLine): string[] {
  const unitPrice = l.unitPrice !== undefined ? `${money(l.unitPrice)}${l.unit ? ` / ${l.unit}` : ''}` : '-';
  const perHour = l.status === 'priced' || l.status === 'free' ? money(l.perHour ?? 0) : l.status === 'perUse' ? 'billed per use' : 'not found';
  const meter = l.meter !== undefined ? excerpt(l.meter, 120) : '';
  const note = l.note !== undefined ? excerpt(l.note, 200) : '';
  return [printable(l.label), String(l.quantity), unitPrice, perHour, [meter, note].filter((s) => s !== '').join('; ')];
}

export function formatCostTable(e: CostEstimate): string {
  const header = ['item', 'qty', `unit price (${e.currency})`, `per hour (${e.currency})`, 'meter used / note'];
  const rows = [header, ...e.lines.map(cells)];
  const widths = header.map((_, c) => Math.max(...rows.map((r) => (c < 4 ? r[c].length : 0))));
  const line = (r: string[]) => r.map((cell, c) => (c === 4 ? cell : c === 1 || c === 2 || c === 3 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
  const missing = e.lines.filter((l) => l.status === 'notFound').length;
  const incomplete = missing > 0 ? ` (incomplete: ${missing} item${missing > 1 ? 's' : ''} not found, not counted)` : '';
  return [
    `Azure retail prices for ${e.location} in ${e.currency}, read ${e.date} from ${e.source} (Linux pay-as-you-go)`,
    ...rows.map(line),
    `total per hour: ${money(e.totalPerHour)} ${e.currency}${incomplete}`,
    `total per 30 days (720 h): ${money(e.totalPer30Days, 2)} ${e.currency}${incomplete}`,
    'not counted: OS disks, persistent volumes, outbound traffic, load balancer data processed, ACR Tasks build time; sealed deploy down stops the cost',
    '',
  ].join('\n');
}

export function formatCostJson(e: CostEstimate): string {
  return `${printableJson(e)}\n`;
}
