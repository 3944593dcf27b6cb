// The app's version, shown in app.info, the bundle manifest and diagnostics.
export const APP_VERSION = '0.1.0';
