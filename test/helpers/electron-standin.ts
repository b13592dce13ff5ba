// A recording stand-in for the `electron` module, for test/integration/desktop-shell.test.ts:
// the built main process (out/main/index.js) runs under plain Node with `electron`
// resolved to this file (test/helpers/electron-loader.mjs). It implements only what
// src/main calls; each piece is typed against electron.d.ts (`satisfies`/`implements`),
// so it cannot drift from the real API. The test drives it over the Node IPC channel:
// it reads what was recorded and plays the user and the OS (clicks, closes, sleep).
// Never shipped: it lives under test/.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type * as Electron from 'electron';

// ---- what was recorded ----

interface WindowRecord {
  id: number;
  options: Electron.BrowserWindowConstructorOptions;
  loadedFile: string | null;
  visible: boolean;
  destroyed: boolean;
  sent: { channel: string; message: unknown }[];
  openHandler: boolean;
  navigationBlocked: boolean;
}
interface TrayRecord {
  images: string[];
  tooltip: string;
  menu: string[];
  destroyed: boolean;
}
const record = {
  windows: [] as WindowRecord[],
  trays: [] as TrayRecord[],
  notifications: [] as { title: string; body: string }[],
  errorBoxes: [] as string[],
  permissionRequestDenied: null as boolean | null,
  permissionCheckDenied: null as boolean | null,
  /** Whether the window may write to the clipboard (asked and checked). */
  clipboardWrite: [] as boolean[],
  exitCode: null as number | null,
};

// ---- app ----

class StandInApp extends EventEmitter {
  readonly isPackaged = false;
  private readonly ready: Promise<void>;
  private markReady!: () => void;
  private quitting = false;

  constructor() {
    super();
    this.ready = new Promise((r) => (this.markReady = r));
    // Ready once the main module has run its top level and registered its listeners.
    setImmediate(() => {
      this.markReady();
      this.emit('ready');
    });
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  getPath(name: Parameters<Electron.App['getPath']>[0]): string {
    if (name !== 'userData') throw new Error(`stand-in: getPath("${name}") is not implemented`);
    return process.env.WSMON_STANDIN_USER_DATA!;
  }
  /** Electron's order: before-quit, then will-quit (which may be prevented), then exit. */
  quit(): void {
    if (this.quitting) return;
    this.quitting = true;
    this.emit('before-quit', { preventDefault() {} });
    let prevented = false;
    this.emit('will-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.exit(0);
  }
  /**
   * Records the exit and lets the process end by itself: if a socket, server or
   * ref'd timer is left behind, it does not, and the test sees that.
   */
  exit(code = 0): void {
    record.exitCode = code;
    send({ kind: 'exit', code });
    process.exitCode = code;
    process.disconnect?.();
  }
}
export const app = new StandInApp() satisfies Pick<Electron.App, 'whenReady' | 'requestSingleInstanceLock' | 'getPath' | 'quit' | 'exit' | 'isPackaged'>;

// ---- windows ----

let nextWindowId = 1;
const windows = new Map<number, StandInBrowserWindow>();

class StandInWebContents extends EventEmitter {
  readonly mainFrame = { name: 'main frame' };
  constructor(private readonly rec: WindowRecord) {
    super();
  }
  send(channel: string, message: unknown): void {
    this.rec.sent.push({ channel, message });
  }
  setWindowOpenHandler(handler: Parameters<Electron.WebContents['setWindowOpenHandler']>[0]): void {
    this.rec.openHandler = true;
    this.windowOpen = handler;
  }
  windowOpen: Parameters<Electron.WebContents['setWindowOpenHandler']>[0] | null = null;
}

export class StandInBrowserWindow
  extends EventEmitter
  implements Pick<Electron.BrowserWindow, 'show' | 'hide' | 'focus' | 'isMinimized' | 'restore' | 'isDestroyed' | 'isVisible' | 'getNormalBounds'>
{
  readonly rec: WindowRecord;
  readonly webContents: StandInWebContents;

  constructor(options: Electron.BrowserWindowConstructorOptions = {}) {
    super();
    this.rec = { id: nextWindowId++, options, loadedFile: null, visible: false, destroyed: false, sent: [], openHandler: false, navigationBlocked: false };
    this.webContents = new StandInWebContents(this.rec);
    record.windows.push(this.rec);
    windows.set(this.rec.id, this);
  }
  static getAllWindows(): StandInBrowserWindow[] {
    return [...windows.values()].filter((w) => !w.rec.destroyed);
  }
  async loadFile(file: string): Promise<void> {
    this.rec.loadedFile = file;
    setImmediate(() => this.emit('ready-to-show'));
  }
  // As Electron's: 'show' and 'hide' are emitted when the window's visibility changes.
  show(): void {
    if (this.rec.visible) return;
    this.rec.visible = true;
    this.emit('show');
  }
  hide(): void {
    if (!this.rec.visible) return;
    this.rec.visible = false;
    this.emit('hide');
  }
  focus(): void {}
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  isDestroyed(): boolean {
    return this.rec.destroyed;
  }
  isVisible(): boolean {
    return this.rec.visible;
  }
  getNormalBounds(): Electron.Rectangle {
    return { x: 10, y: 10, width: 1100, height: 760 };
  }
  /** The user closes the window: 'close' may be prevented; else it is gone, and with the last one the app quits. */
  userClose(): void {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.rec.destroyed = true;
    this.rec.visible = false;
    this.emit('closed');
    // Electron quits when the last window closes, unless the app listens for window-all-closed.
    if (StandInBrowserWindow.getAllWindows().length === 0 && app.listenerCount('window-all-closed') === 0) app.quit();
  }
}
export const BrowserWindow = StandInBrowserWindow;

export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] as Electron.Display[],
} satisfies Pick<Electron.Screen, 'getAllDisplays'>;

// ---- IPC ----

type Handler = (event: Electron.IpcMainInvokeEvent, ...args: unknown[]) => unknown;
const handlers = new Map<string, Handler>();
export const ipcMain = {
  handle: (channel: string, listener: Handler) => void handlers.set(channel, listener),
  removeHandler: (channel: string) => void handlers.delete(channel),
} satisfies Pick<Electron.IpcMain, 'handle' | 'removeHandler'>;

// ---- tray, menus, images ----

export const nativeImage = {
  createFromPath: (path: string) => ({ path }) as unknown as Electron.NativeImage,
} satisfies Pick<typeof Electron.nativeImage, 'createFromPath'>;

const pathOf = (image: Electron.NativeImage | string) => (typeof image === 'string' ? image : (image as unknown as { path: string }).path);

export class Tray implements Pick<Electron.Tray, 'setImage' | 'setToolTip' | 'setContextMenu' | 'destroy'> {
  readonly rec: TrayRecord;
  menu: Electron.MenuItemConstructorOptions[] = [];
  constructor(image: Electron.NativeImage | string) {
    this.rec = { images: [pathOf(image)], tooltip: '', menu: [], destroyed: false };
    record.trays.push(this.rec);
    trays.push(this);
  }
  setImage(image: Electron.NativeImage | string): void {
    this.rec.images.push(pathOf(image));
  }
  setToolTip(text: string): void {
    this.rec.tooltip = text;
  }
  setContextMenu(menu: Electron.Menu | null): void {
    this.menu = (menu as unknown as { template: Electron.MenuItemConstructorOptions[] } | null)?.template ?? [];
    this.rec.menu = this.menu.map((i) => (i.type === 'separator' ? '---' : (i.label ?? '')));
  }
  destroy(): void {
    this.rec.destroyed = true;
  }
}
const trays: Tray[] = [];

export const Menu = {
  buildFromTemplate: (template: Electron.MenuItemConstructorOptions[]) => ({ template }) as unknown as Electron.Menu,
} satisfies Pick<typeof Electron.Menu, 'buildFromTemplate'>;

// ---- notifications, dialogs, shell ----

export class Notification extends EventEmitter implements Pick<Electron.Notification, 'show'> {
  constructor(private readonly options: Electron.NotificationConstructorOptions) {
    super();
  }
  static isSupported(): boolean {
    return true;
  }
  show(): void {
    record.notifications.push({ title: this.options.title ?? '', body: this.options.body ?? '' });
  }
}

/** What the dialogs answer next: set by the test. */
const answers = { save: null as string | null, open: null as string | null };
export const dialog = {
  showSaveDialog: async (_options: Electron.SaveDialogOptions) =>
    answers.save ? { canceled: false, filePath: answers.save } : { canceled: true, filePath: '' },
  showOpenDialog: async (_options: Electron.OpenDialogOptions) =>
    answers.open ? { canceled: false, filePaths: [answers.open] } : { canceled: true, filePaths: [] },
  showErrorBox: (title: string, content: string) => void record.errorBoxes.push(`${title}: ${content}`),
} satisfies Pick<Electron.Dialog, 'showErrorBox'> & {
  showSaveDialog(options: Electron.SaveDialogOptions): Promise<Electron.SaveDialogReturnValue>;
  showOpenDialog(options: Electron.OpenDialogOptions): Promise<Electron.OpenDialogReturnValue>;
};

// ---- the OS: power, network, permissions, keyring ----

export const powerMonitor = new EventEmitter() as EventEmitter & Pick<Electron.PowerMonitor, 'on'>;

let online = true;
export const net = { isOnline: () => online } satisfies Pick<typeof Electron.net, 'isOnline'>;

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (h: Parameters<Electron.Session['setPermissionRequestHandler']>[0]) => {
      h?.({} as Electron.WebContents, 'media', (granted) => (record.permissionRequestDenied = !granted), {} as Electron.PermissionRequest);
      h?.({} as Electron.WebContents, 'clipboard-sanitized-write', (granted) => record.clipboardWrite.push(granted), {} as Electron.PermissionRequest);
      h?.({} as Electron.WebContents, 'clipboard-read', (granted) => record.clipboardWrite.push(granted), {} as Electron.PermissionRequest);
    },
    setPermissionCheckHandler: (h: Parameters<Electron.Session['setPermissionCheckHandler']>[0]) => {
      record.permissionCheckDenied = h ? !h(null, 'media', 'https://example.com', {} as Electron.PermissionCheckHandlerHandlerDetails) : null;
      if (h) record.clipboardWrite.push(h(null, 'clipboard-sanitized-write', 'file://', {} as Electron.PermissionCheckHandlerHandlerDetails));
    },
  } satisfies Pick<Electron.Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
};

// The same kind of stand-in cipher as the unit tests (AES-GCM), with a key stable across restarts.
const KEY = createHash('sha256').update('wsmon stand-in keyring').digest();
export const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (plain: string) => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', KEY, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  },
  decryptString: (sealed: Buffer) => {
    const d = createDecipheriv('aes-256-gcm', KEY, sealed.subarray(0, 12));
    d.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([d.update(sealed.subarray(28)), d.final()]).toString('utf8');
  },
} satisfies Pick<Electron.SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'>;

// ---- the control channel: the test asks, the stand-in answers ----

type Command =
  | { op: 'record' }
  | { op: 'invoke'; channel: string; payload: unknown; window: number; foreignFrame?: boolean }
  | { op: 'power'; event: 'suspend' | 'resume' }
  | { op: 'online'; value: boolean }
  | { op: 'close-window'; window: number }
  | { op: 'click-tray'; label: string }
  | { op: 'answer-dialogs'; save?: string | null; open?: string | null }
  | { op: 'channels' }
  | { op: 'navigate'; window: number; url: string }
  | { op: 'window-open'; window: number; url: string };

function send(message: unknown): void {
  process.send?.(message);
}

async function run(c: Command): Promise<unknown> {
  switch (c.op) {
    case 'record':
      return record;
    case 'channels':
      return [...handlers.keys()].sort();
    case 'invoke': {
      const w = windows.get(c.window);
      if (!w) throw new Error(`no window ${c.window}`);
      const handler = handlers.get(c.channel);
      if (!handler) throw new Error(`no IPC handler for ${c.channel}`);
      const event = {
        sender: w.webContents,
        senderFrame: c.foreignFrame ? { name: 'an iframe' } : w.webContents.mainFrame,
      } as unknown as Electron.IpcMainInvokeEvent;
      return handler(event, c.payload);
    }
    case 'power':
      powerMonitor.emit(c.event);
      return null;
    case 'online':
      online = c.value;
      return null;
    case 'close-window':
      windows.get(c.window)!.userClose();
      return null;
    case 'click-tray': {
      const item = trays.at(-1)!.menu.find((i) => i.label === c.label);
      if (!item?.click) throw new Error(`no tray menu item "${c.label}"`);
      (item.click as () => void)();
      return null;
    }
    case 'navigate': {
      // What the page would do on its own: Electron asks will-navigate (and webviews will-attach-webview) first.
      let prevented = false;
      windows.get(c.window)!.webContents.emit('will-navigate', { preventDefault: () => (prevented = true) }, c.url);
      return prevented;
    }
    case 'window-open':
      return windows.get(c.window)!.webContents.windowOpen?.({ url: c.url } as Electron.HandlerDetails) ?? null;
    case 'answer-dialogs':
      if (c.save !== undefined) answers.save = c.save;
      if (c.open !== undefined) answers.open = c.open;
      return null;
  }
}

process.on('message', (m: { id: number } & Command) => {
  run(m).then(
    (result) => send({ kind: 'answer', id: m.id, ok: true, result }),
    (e: Error) => send({ kind: 'answer', id: m.id, ok: false, error: e.message }),
  );
});
// The IPC channel must not keep the process alive: app.exit disconnects it, and a process that
// does not end after that has left something running.
process.channel?.unref();
