// Which of the header's panels (Import / export, Settings) is open: one at a
// time, so they never stack over the page.
export const panels = $state<{ open: string | null }>({ open: null });
