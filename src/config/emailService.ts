/** The value of `emailService` that means "enter host, port and security by hand". */
export const CUSTOM_SERVICE = "custom";
