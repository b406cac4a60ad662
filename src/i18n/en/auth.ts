import type { Message } from '../message-format';

export const auth = {} as const satisfies Record<string, Message>;
