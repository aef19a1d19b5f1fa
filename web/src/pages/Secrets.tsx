// Admins keep the secrets connectors use ({{secrets.NAME}}): add or replace a value, which is
// never shown again, see who set each one when, and delete one after confirming.
import { useRef, useState, type FormEvent } from 'react';
import { api, type Secret } from '../api';
import { useAction, useLive } from '../hooks';
import { ago, localTime } from '../time';

export function SecretsPage() {
  const secrets = useLive(() => api.secrets(), [], null);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [saved, setSaved] = useState<string>();
  const [deleting, setDeleting] = useState<string>();
  const [error, run] = useAction();
  const valueRef = useRef<HTMLInputElement>(null);
  const replacing = secrets.data?.some((secret) => secret.name === name.trim()) ?? false;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const chosen = name.trim();
    setSaved(undefined);
    const ok = await run(() => api.setSecret(chosen, value));
    // The value leaves the page as soon as the server has it.
    setValue('');
    if (ok) {
      setSaved(`${chosen} ${replacing ? 'replaced' : 'saved'}.`);
      setName('');
      secrets.reload();
    }
  }

  function replace(secret: Secret) {
    setName(secret.name);
    setValue('');
    setSaved(undefined);
    valueRef.current?.focus();
  }

  async function remove(secretName: string) {
    setSaved(undefined);
    if (await run(() => api.deleteSecret(secretName))) {
      setSaved(`${secretName} deleted.`);
      secrets.reload();
    }
    setDeleting(undefined);
  }

  return (
    <div className="page">
      <h1>Secrets</h1>
      <p className="muted">
        Connector fields use a secret as <code>{'{{secrets.NAME}}'}</code>; it is filled in only
        when the connector runs. Values are stored encrypted and never shown again.
      </p>
      <form className="card inline-form" onSubmit={submit}>
        <h2>Add or replace a secret</h2>
        <label>
          Name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            autoComplete="off"
            spellCheck={false}
          />
        </label>
        <label className="grow">
          Value
          <input
            ref={valueRef}
            type="password"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            required
            autoComplete="new-password"
          />
        </label>
        <button type="submit" className="primary" disabled={!name.trim() || !value}>
          {replacing ? 'Replace secret' : 'Add secret'}
        </button>
      </form>
      {error && <p className="error">{error}</p>}
      {saved && (
        <p className="notice" role="status">
          {saved}
        </p>
      )}
      {secrets.error && <p className="error">{secrets.error}</p>}
      {secrets.data?.length === 0 && <p className="muted">No secrets yet.</p>}
      {secrets.data && secrets.data.length > 0 && (
        <table className="secrets">
          <thead>
            <tr>
              <th>Name</th>
              <th>Use in a connector field as</th>
              <th>Created</th>
              <th>Last changed</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {secrets.data.map((secret) => (
              <tr key={secret.name}>
                <td>
                  <code>{secret.name}</code>
                </td>
                <td>
                  <code>{`{{secrets.${secret.name}}}`}</code>
                </td>
                <td title={localTime(secret.createdAt)}>
                  {ago(secret.createdAt)}
                  {secret.createdBy && ` by ${secret.createdBy}`}
                </td>
                <td title={localTime(secret.updatedAt)}>
                  {ago(secret.updatedAt)}
                  {secret.updatedBy && ` by ${secret.updatedBy}`}
                </td>
                <td className="actions">
                  {deleting === secret.name ? (
                    <>
                      <span>Delete {secret.name}? Connectors that use it will fail.</span>
                      <button type="button" className="danger" onClick={() => remove(secret.name)}>
                        Yes, delete
                      </button>
                      <button type="button" onClick={() => setDeleting(undefined)}>
                        Cancel
                      </button>
                    </>
                  ) : (
                    <>
                      <button type="button" onClick={() => replace(secret)}>
                        Replace
                      </button>
                      <button
                        type="button"
                        className="danger"
                        onClick={() => setDeleting(secret.name)}
                      >
                        Delete
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
