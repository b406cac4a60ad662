import type { Message } from '../message-format';

export const mail = {} as const satisfies Record<string, Message>;
