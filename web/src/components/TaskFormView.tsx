// A user task's form, rendered by form-js, prefilled with the task's variables.
import { useEffect, useRef } from 'react';
import { Form } from '@bpmn-io/form-js';
import '@bpmn-io/form-js/dist/assets/form-js.css';
import type { Variables } from '../api';

interface Props {
  schema: Record<string, unknown>;
  data: Variables;
  disabled: boolean;
  onSubmit: (values: Variables) => void;
}

export function TaskFormView({ schema, data, disabled, onSubmit }: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const formRef = useRef<Form | null>(null);
  // The task's variables prefill the form once; later reloads must not wipe what was typed.
  const initialData = useRef(data);

  useEffect(() => {
    const form = new Form({ container: containerRef.current! });
    formRef.current = form;
    void form.importSchema(schema, initialData.current);
    return () => form.destroy();
  }, [schema]);

  useEffect(() => {
    formRef.current?.setProperty('disabled', disabled);
  }, [disabled]);

  function complete() {
    const result = formRef.current!.submit();
    if (Object.keys(result.errors).length === 0) onSubmit(result.data as Variables);
  }

  return (
    <div className="task-form">
      <div ref={containerRef} />
      <button type="button" className="primary" disabled={disabled} onClick={complete}>
        Complete
      </button>
    </div>
  );
}
