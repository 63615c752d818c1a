export type Operation = 'improve' | 'rewrite' | 'summarise';

export const OPERATIONS: { id: Operation; label: string; system: string }[] = [
  {
    id: 'improve',
    label: 'Improve',
    system: 'Improve the grammar, clarity and style of the user\'s text. Keep its meaning and language. Answer with the improved text only.',
  },
  {
    id: 'rewrite',
    label: 'Rewrite',
    system: 'Rewrite the user\'s text in different words with the same meaning and language. Answer with the rewritten text only.',
  },
  {
    id: 'summarise',
    label: 'Summarise',
    system: 'Summarise the user\'s text in a few sentences, in its language. Answer with the summary only.',
  },
];
