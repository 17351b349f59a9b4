import { InjectConfig } from '@helixgate/platform';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import type { SubmissionsConfig } from '../config';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends e-mail through the SMTP server of SMTP_URL, from AA_EMAIL_FROM. Without both it is not configured: no
 * transport is made and nothing is sent.
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly smtp?: { transport: Transporter; from: string };

  constructor(@InjectConfig() config: SubmissionsConfig) {
    if (!config.SMTP_URL || !config.AA_EMAIL_FROM) return;
    // Short timeouts: a stalled mail server must not hold the sync that sends (nodemailer waits minutes by default).
    const transport = nodemailer.createTransport(config.SMTP_URL, {
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    this.smtp = { transport, from: config.AA_EMAIL_FROM };
  }

  get configured(): boolean {
    return this.smtp !== undefined;
  }

  async send(mail: Mail): Promise<void> {
    if (!this.smtp) return;
    await this.smtp.transport.sendMail({ from: this.smtp.from, to: mail.to, subject: mail.subject, text: mail.text });
  }

  onApplicationShutdown(): void {
    this.smtp?.transport.close();
  }
}
