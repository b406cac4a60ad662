import type { Message } from '../message-format';

export const account = {} as const satisfies Record<string, Message>;
