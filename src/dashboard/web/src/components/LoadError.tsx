// The one way a page says that loading failed: the message and a Retry button.
interface Props {
  message: string;
  onRetry: () => void;
}

export function LoadError({ message, onRetry }: Props) {
  return (
    <p className="notice notice--error" role="alert">
      {message}{' '}
      <button type="button" className="button button--small" onClick={onRetry}>
        Retry
      </button>
    </p>
  );
}
