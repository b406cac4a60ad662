// User mistakes, by form field ("form" for the form as a whole): what domain functions
// return and the views show beside each field.
export type FieldErrors = Partial<Record<string, string[]>>;
