// Start a run: a form built from GET /api/pipeline (defaults filled in, or the parameters of
// the run named by ?from=<id>), POST /api/runs, then the new run's page.
import { useEffect, useState, type FormEvent } from 'react';
import type { PipelineInfo, RunDetail } from '../../../api/contract.ts';
import { API_LIMITS } from '../../../api/contract.ts';
import { api, errorText } from '../lib/api.ts';
import { initialValue, parseValue, type FormValue, type ParameterValue } from '../lib/parameterForm.ts';
import { navigate, paths, useLocation } from '../lib/router.ts';
import { usePolling } from '../lib/usePolling.ts';
import { Link } from '../components/Link.tsx';
import { ParameterField } from '../components/ParameterField.tsx';
import { LoadError } from '../components/LoadError.tsx';

export function NewRunPage() {
  const { search } = useLocation();
  const from = new URLSearchParams(search).get('from') ?? undefined;
  const loaded = usePolling(
    async (signal) => {
      const [pipeline, source] = await Promise.all([api.pipeline(signal), from ? api.run(from, signal).catch(() => undefined) : Promise.resolve(undefined)]);
      return { pipeline, source };
    },
    `new-run:${from ?? ''}`,
    () => null,
  );

  return (
    <section className="page page--narrow">
      <p className="breadcrumb">
        <Link to="/">Runs</Link> / new run
      </p>
      <h1 className="page-title">New run</h1>
      {loaded.error !== undefined && (
        <LoadError message={`Could not load the pipeline: ${errorText(loaded.error)}`} onRetry={loaded.reload} />
      )}
      {!loaded.data && loaded.error === undefined && <p className="muted">Loading the pipeline…</p>}
      {loaded.data && <NewRunForm key={from ?? ''} pipeline={loaded.data.pipeline} source={loaded.data.source} />}
    </section>
  );
}

function NewRunForm({ pipeline, source }: { pipeline: PipelineInfo; source?: RunDetail }) {
  const initial = () => Object.fromEntries(pipeline.parameters.map((p) => [p.name, initialValue(p, source?.summary.parameters[p.name])]));
  const [values, setValues] = useState<Record<string, FormValue>>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [submitError, setSubmitError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => setSubmitError(undefined), [values]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parameters: Record<string, ParameterValue> = {};
    const problems: Record<string, string> = {};
    for (const p of pipeline.parameters) {
      const parsed = parseValue(p, values[p.name]);
      if ('error' in parsed) problems[p.name] = parsed.error;
      else if (typeof parsed.value === 'string' && parsed.value.length > API_LIMITS.parameterChars) problems[p.name] = `at most ${API_LIMITS.parameterChars} characters`;
      else parameters[p.name] = parsed.value;
    }
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const { id } = await api.startRun({ parameters });
      navigate(paths.run(id));
    } catch (err) {
      setSubmitError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <form className="card new-run-form" data-testid="new-run-form" onSubmit={submit} noValidate>
      <div className="card__head">
        <div>
          <h2 className="card__title">{pipeline.name}</h2>
          <p className="muted small">{pipeline.description}</p>
          {pipeline.sealed && (
            <p className="small" data-testid="new-run-sealed">
              <span className="badge badge--sealed">sealed</span> Runs started here are sealed with the dashboard&apos;s keys.
            </p>
          )}
          {source && (
            <p className="small">
              Parameters of run <span className="mono">{source.summary.id}</span>.
            </p>
          )}
        </div>
      </div>
      {submitError && (
        <p className="notice notice--error" role="alert" data-testid="new-run-error">
          {submitError}
        </p>
      )}
      {pipeline.parameters.length === 0 && <p className="muted">This pipeline takes no parameters.</p>}
      <div className="param-grid">
        {pipeline.parameters.map((p) => (
          <ParameterField
            key={p.name}
            param={p}
            value={values[p.name]}
            error={errors[p.name]}
            onChange={(v) => {
              setValues((s) => ({ ...s, [p.name]: v }));
              setErrors((s) => {
                if (!(p.name in s)) return s;
                const { [p.name]: _removed, ...rest } = s;
                return rest;
              });
            }}
          />
        ))}
      </div>
      <p className="muted small">Tasks: {pipeline.tasks.join(' → ')}</p>
      <div className="form-actions">
        <button
          type="button"
          className="button button--quiet"
          onClick={() => {
            setValues(Object.fromEntries(pipeline.parameters.map((p) => [p.name, initialValue(p)])));
            setErrors({});
          }}
        >
          Reset to defaults
        </button>
        <button type="button" className="button" onClick={() => navigate(paths.runs())}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" data-testid="new-run-submit" disabled={busy}>
          {busy ? 'Starting…' : 'Start run'}
        </button>
      </div>
    </form>
  );
}
