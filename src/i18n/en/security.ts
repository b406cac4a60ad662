import type { Message } from '../message-format';

export const security = {} as const satisfies Record<string, Message>;
