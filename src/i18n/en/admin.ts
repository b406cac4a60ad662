import type { Message } from '../message-format';

export const admin = {} as const satisfies Record<string, Message>;
