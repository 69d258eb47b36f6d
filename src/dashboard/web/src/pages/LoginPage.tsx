import { useState, type FormEvent } from 'react';
import type { Session } from '../../../api/contract.ts';
import { api, errorText } from '../lib/api.ts';

export function LoginPage({ notice, onLoggedIn }: { notice?: string; onLoggedIn: (s: Session) => void }) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onLoggedIn(await api.login(username, password));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <form className="login__card" onSubmit={submit} aria-labelledby="login-title">
        <div className="login__brand">
          <img src="/favicon.svg" alt="" width={36} height={36} />
          <div>
            <h1 id="login-title">Sealed Pipelines</h1>
            <p className="muted">Sign in to the dashboard</p>
          </div>
        </div>
        {notice && !error && (
          <p className="notice notice--info" data-testid="login-notice" role="status">
            {notice}
          </p>
        )}
        {error && (
          <p className="notice notice--error" data-testid="login-error" role="alert">
            {error}
          </p>
        )}
        <label className="field">
          <span className="field__label">Username</span>
          <input
            data-testid="login-username"
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </label>
        <label className="field">
          <span className="field__label">Password</span>
          <input
            data-testid="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoFocus
            required
          />
        </label>
        <button type="submit" className="button button--primary button--block" data-testid="login-submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
