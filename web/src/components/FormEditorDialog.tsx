// The form-js editor in a dialog, for the form a user task shows.
import { useEffect, useRef } from 'react';
import { FormEditor } from '@bpmn-io/form-js';
import '@bpmn-io/form-js/dist/assets/form-js.css';
import '@bpmn-io/form-js/dist/assets/form-js-editor.css';
import '@bpmn-io/form-js/dist/assets/properties-panel.css';

/** What a new form starts with: a comment and an approval, both easy to change. */
const STARTER_FORM = {
  type: 'default',
  components: [
    { type: 'textfield', key: 'comment', label: 'Comment' },
    { type: 'checkbox', key: 'approved', label: 'Approved' },
  ],
};

interface Props {
  title: string;
  formId: string;
  schema: object | null;
  onSave: (schema: object) => void;
  onCancel: () => void;
}

export function FormEditorDialog({ title, formId, schema, onSave, onCancel }: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<FormEditor | null>(null);

  useEffect(() => {
    const editor = new FormEditor({ container: containerRef.current! });
    editorRef.current = editor;
    void editor.importSchema({ ...(schema ?? STARTER_FORM), id: formId });
    return () => editor.destroy();
  }, [formId, schema]);

  return (
    <div className="dialog-backdrop">
      <div className="dialog wide" role="dialog" aria-label={title}>
        <div className="toolbar">
          <strong>{title}</strong>
          <span className="spacer" />
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            // The form's id is what the user task links to; keep it whatever was edited.
            onClick={() => onSave({ ...editorRef.current!.saveSchema(), id: formId })}
          >
            Save form
          </button>
        </div>
        <div className="form-editor" ref={containerRef} />
      </div>
    </div>
  );
}
