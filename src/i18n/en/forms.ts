import type { Message } from '../message-format';

export const forms = {} as const satisfies Record<string, Message>;
