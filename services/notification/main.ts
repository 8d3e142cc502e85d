import { runServiceMain } from "../../platform/host/run-service.js";
import { notificationService } from "./service.js";

runServiceMain(notificationService);
