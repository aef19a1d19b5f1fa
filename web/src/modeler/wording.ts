// Stead's words for a few of the modeler's labels: its element templates are connectors, so the
// panel and the chooser say so to people who have never heard of element templates.
import translate from 'diagram-js/lib/i18n/translate/translate';

const WORDS: Record<string, string> = {
  Template: 'Connector',
  'Choose element template': 'Choose a connector',
};

function steadTranslate(template: string, replacements?: Record<string, string>): string {
  return translate(WORDS[template] ?? template, replacements);
}

/** Replaces diagram-js's `translate` service (which only fills in the replacements). */
export const wordingModule = { translate: ['value', steadTranslate] };
