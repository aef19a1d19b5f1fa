// Drafts are kept in the browser until they are deployed.

export interface Draft {
  processId: string;
  name: string;
  xml: string;
  forms?: Record<string, object>; // form-js schemas by form id
  savedAt: string;
}

const KEY = 'stead.drafts';

export function loadDrafts(): Draft[] {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(stored) ? stored : [];
  } catch {
    return [];
  }
}

export function saveDraft(draft: Draft): void {
  const others = loadDrafts().filter((d) => d.processId !== draft.processId);
  localStorage.setItem(KEY, JSON.stringify([draft, ...others]));
}

export function deleteDraft(processId: string): void {
  const others = loadDrafts().filter((d) => d.processId !== processId);
  localStorage.setItem(KEY, JSON.stringify(others));
}
