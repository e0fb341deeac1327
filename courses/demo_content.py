"""The demo course loaded by seed_demo: content only, no code."""

DEMO_COURSE = {
    "slug": "jualan-online-whatsapp-business",
    "title": "Jualan Online lewat WhatsApp Business",
    "summary": (
        "Belajar berjualan lewat WhatsApp Business langkah demi langkah: mengisi profil usaha, "
        "membuat katalog dengan foto produk yang jelas, membalas pelanggan dengan cepat, dan "
        "menerima pembayaran QRIS dengan aman."
    ),
    "level": "beginner",
    "estimated_minutes": 90,
    "modules": [
        {
            "title": "Mulai dengan WhatsApp Business",
            "lessons": [
                {
                    "kind": "reading",
                    "title": "WhatsApp Business: apa bedanya dengan WhatsApp biasa?",
                    "minutes": 4,
                    "body": """## Kenapa perlu WhatsApp Business?

Pelanggan Anda memakai WhatsApp setiap hari. Mereka bertanya harga, memesan, dan mengirim
bukti bayar lewat chat. WhatsApp Business adalah aplikasi **gratis** dari WhatsApp yang dibuat
khusus untuk penjual seperti Anda.

Dengan WhatsApp Business, usaha Anda terlihat lebih rapi dan lebih dipercaya. Anda juga
menghemat waktu saat membalas pesan.

## Apa bedanya?

| Fitur | WhatsApp biasa | WhatsApp Business |
|---|---|---|
| Profil usaha: alamat, jam buka, keterangan | Tidak ada | Ada |
| Katalog produk dengan foto dan harga | Tidak ada | Ada |
| Pesan salam otomatis | Tidak ada | Ada |
| Balasan cepat untuk pertanyaan yang sama | Tidak ada | Ada |
| Label untuk menandai pesanan | Tidak ada | Ada |
| Harga aplikasi | Gratis | Gratis |

## Apa yang tetap sama?

- Cara mengirim pesan, foto, dan pesan suara sama seperti biasa.
- Anda tetap bisa membuat Status dan grup.
- Pelanggan **tidak perlu memasang aplikasi baru**. Mereka tetap memakai WhatsApp biasa.

## Contoh

Bu Sari menjual keripik singkong dari rumah. Dulu ia mengetik daftar harga yang sama puluhan
kali sehari. Sekarang ia cukup mengirim tautan katalog. Pelanggan melihat sendiri foto, harga,
dan rasa keripik. Bu Sari jadi punya lebih banyak waktu untuk menggoreng dan mengemas pesanan.

## Yang perlu diingat

1. **Satu nomor hanya bisa dipakai di satu aplikasi**: WhatsApp biasa atau WhatsApp Business.
2. **Pilih nomor khusus untuk usaha.** Pakai nomor ini untuk waktu lama, karena pelanggan
   sudah menyimpannya.
3. WhatsApp biasa dan WhatsApp Business bisa dipasang di satu HP, asalkan nomornya berbeda.

**Coba sekarang:** tulis di kertas nomor mana yang akan Anda pakai untuk usaha.
""",
                },
                {
                    "kind": "reading",
                    "title": "Memasang WhatsApp Business dan pindah dari WhatsApp biasa",
                    "minutes": 5,
                    "body": """## Sebelum mulai

- Pastikan **kuota cukup**, atau sambungkan HP ke Wi-Fi. Aplikasi ini perlu diunduh dulu.
- Siapkan kartu SIM dengan nomor usaha. Nomor ini akan menerima kode lewat SMS.
- Jika nomor itu sekarang dipakai di WhatsApp biasa, **cadangkan chat dulu**. Buka WhatsApp
  biasa, ketuk **Setelan**, lalu **Chat**, lalu **Cadangan chat**.

## Langkah memasang

1. Buka **Play Store**, lalu cari "WhatsApp Business". Ikonnya berupa huruf B di dalam
   gelembung chat.
2. Ketuk **Instal**. Tunggu sampai selesai, lalu buka aplikasinya.
3. Baca syarat dan ketentuan, lalu ketuk **Setuju dan lanjutkan**.
4. Masukkan nomor usaha Anda.
5. Jika nomor ini sudah dipakai di WhatsApp biasa, aplikasi akan menawarkan untuk memindahkan
   chat Anda. **Ikuti petunjuk di layar.**
6. Masukkan **kode 6 angka** yang dikirim lewat SMS.
7. Isi nama usaha dan pilih kategori. Bagian lain bisa dilengkapi nanti.

## Yang terjadi setelah pindah

- Chat dan grup lama bisa ikut pindah ke WhatsApp Business.
- Nomor itu **tidak bisa lagi dipakai di WhatsApp biasa**. Jika ingin tetap punya WhatsApp
  pribadi, daftarkan nomor lain di WhatsApp biasa.
- Pelanggan tidak perlu melakukan apa-apa. Nomor Anda tetap sama.

## Mau pakai nomor baru?

Jika ingin memisahkan urusan pribadi dan usaha, beli kartu SIM baru khusus usaha. HP dengan dua
kartu SIM bisa memakai WhatsApp biasa dan WhatsApp Business sekaligus. Jangan lupa memberi
tahu pelanggan lama tentang nomor baru ini.

## Jaga akun Anda

- **Jangan berikan kode 6 angka kepada siapa pun**, termasuk orang yang mengaku petugas
  WhatsApp atau kurir. Dengan kode itu, orang lain bisa mengambil alih akun Anda.
- Nyalakan **Verifikasi dua langkah**: buka **Setelan**, lalu **Akun**, lalu **Verifikasi dua
  langkah**. Buat PIN yang mudah Anda ingat tetapi sulit ditebak orang lain.

**Coba sekarang:** pasang WhatsApp Business di HP Anda dan nyalakan **Verifikasi dua langkah**.
""",
                },
                {
                    "kind": "reading",
                    "title": "Mengisi profil bisnis yang lengkap",
                    "minutes": 5,
                    "body": """## Kenapa profil penting?

Profil bisnis itu seperti papan nama toko. Pelanggan baru biasanya melihat profil Anda
sebelum memesan. Profil yang lengkap membuat mereka lebih percaya.

## Cara membuka profil bisnis

1. Buka WhatsApp Business.
2. Ketuk **ikon titik tiga (⋮)** di kanan atas, lalu pilih **Alat bisnis**. Jika tidak ada,
   cari **Alat bisnis** di **Setelan**. Letak menu bisa sedikit berbeda di tiap versi aplikasi.
3. Ketuk **Profil bisnis**.

## Isi bagian-bagian ini

- **Foto profil:** logo usaha atau foto produk andalan. Hindari swafoto.
- **Nama usaha:** pendek dan mudah diingat, misalnya "Keripik Bu Sari".
- **Kategori:** pilih yang paling dekat dengan usaha Anda, misalnya makanan atau pakaian.
- **Keterangan:** tulis 1–2 kalimat tentang apa yang Anda jual dan ke mana Anda mengirim.
- **Alamat:** isi alamat toko atau patokan yang jelas. Jika berjualan dari rumah dan tidak
  ingin alamat terlihat, bagian ini boleh dikosongkan.
- **Jam buka:** atur hari dan jam Anda melayani pesanan.
- **Email dan situs web:** boleh dikosongkan jika belum punya.

## Contoh profil

Warung sembako:

- Nama: Warung Bu Tini
- Keterangan: Sembako, gas, dan air galon. Antar gratis untuk satu RW.
- Jam buka: Senin–Sabtu, 06.00–21.00

Penjual batik:

- Nama: Batik Tulis Mbak Rini
- Keterangan: Kain dan kemeja batik tulis motif Lasem. Kirim ke seluruh Indonesia.
- Jam buka: Setiap hari, 08.00–20.00

## Saran

- **Periksa ejaan** nama usaha dan keterangan.
- **Perbarui jam buka** saat libur Lebaran atau hari besar, agar pelanggan tidak menunggu.
- Pakai foto profil yang sama di semua tempat Anda berjualan, supaya mudah dikenali.

**Coba sekarang:** buka **Profil bisnis** Anda dan isi minimal foto, keterangan, dan jam buka.
""",
                },
                {
                    "kind": "quiz",
                    "title": "Kuis: Mulai dengan WhatsApp Business",
                    "minutes": 4,
                    "pass_mark": 70,
                    "max_attempts": None,
                    "questions": [
                        {
                            "text": (
                                "Bu Sari ingin memakai nomor WhatsApp-nya sekarang untuk "
                                "WhatsApp Business. Apa yang sebaiknya ia lakukan lebih dulu?"
                            ),
                            "kind": "single",
                            "options": [
                                {
                                    "text": "Mencadangkan chat di WhatsApp biasa",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Dengan cadangan, chat lama tidak hilang saat "
                                        "nomor dipindah ke WhatsApp Business."
                                    ),
                                },
                                {
                                    "text": "Menghapus WhatsApp biasa, lalu langsung mendaftar",
                                    "correct": False,
                                    "explanation": (
                                        "Kurang tepat. Jika dihapus tanpa cadangan, chat lama "
                                        "bisa hilang."
                                    ),
                                },
                                {
                                    "text": "Membeli HP baru",
                                    "correct": False,
                                    "explanation": (
                                        "Tidak perlu. WhatsApp Business bisa dipasang di HP "
                                        "yang sama."
                                    ),
                                },
                            ],
                        },
                        {
                            "text": (
                                "Fitur mana saja yang ada di WhatsApp Business tetapi tidak ada "
                                "di WhatsApp biasa? (Pilih semua yang benar)"
                            ),
                            "kind": "multiple",
                            "options": [
                                {
                                    "text": "Katalog produk",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Katalog berisi foto, nama, harga, dan keterangan "
                                        "produk Anda."
                                    ),
                                },
                                {
                                    "text": "Pesan salam otomatis",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Pesan salam terkirim sendiri saat pelanggan "
                                        "menghubungi Anda."
                                    ),
                                },
                                {
                                    "text": "Mengirim pesan suara",
                                    "correct": False,
                                    "explanation": (
                                        "Pesan suara ada di kedua aplikasi, jadi ini bukan "
                                        "fitur khusus WhatsApp Business."
                                    ),
                                },
                                {
                                    "text": "Label untuk menandai chat pesanan",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Label membantu Anda tahu pesanan mana yang "
                                        "belum dibayar atau belum dikirim."
                                    ),
                                },
                            ],
                        },
                        {
                            "text": (
                                "Ada orang mengaku petugas WhatsApp. Ia meminta kode 6 angka "
                                "yang masuk lewat SMS. Apa yang Anda lakukan?"
                            ),
                            "kind": "single",
                            "options": [
                                {
                                    "text": "Tidak memberikan kode itu kepada siapa pun",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Kode itu kunci akun Anda. Dengan kode itu, "
                                        "orang lain bisa mengambil alih WhatsApp Anda."
                                    ),
                                },
                                {
                                    "text": "Memberikan kode karena ia petugas resmi",
                                    "correct": False,
                                    "explanation": (
                                        "Salah. Petugas WhatsApp tidak pernah meminta kode "
                                        "Anda. Ini cara penipu mencuri akun."
                                    ),
                                },
                                {
                                    "text": "Memberikan kode jika ia tahu nama usaha Anda",
                                    "correct": False,
                                    "explanation": (
                                        "Salah. Nama usaha mudah dilihat siapa saja di profil. "
                                        "Itu bukan bukti bahwa ia bisa dipercaya."
                                    ),
                                },
                            ],
                        },
                        {
                            "text": (
                                "Bagian mana saja di Profil bisnis yang membuat pelanggan baru "
                                "lebih percaya? (Pilih semua yang benar)"
                            ),
                            "kind": "multiple",
                            "options": [
                                {
                                    "text": "Keterangan singkat tentang produk Anda",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Pelanggan langsung tahu apa yang Anda jual."
                                    ),
                                },
                                {
                                    "text": "Jam buka",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Pelanggan tahu kapan pesannya akan dibalas."
                                    ),
                                },
                                {
                                    "text": "Nomor PIN kartu ATM",
                                    "correct": False,
                                    "explanation": (
                                        "Jangan pernah. PIN adalah rahasia dan tidak boleh "
                                        "ditulis di mana pun."
                                    ),
                                },
                                {
                                    "text": "Foto profil berupa logo atau produk andalan",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Foto yang jelas membuat usaha Anda mudah dikenali."
                                    ),
                                },
                            ],
                        },
                        {
                            "text": (
                                "Nomor Anda sudah pindah ke WhatsApp Business. Apa yang terjadi?"
                            ),
                            "kind": "single",
                            "options": [
                                {
                                    "text": "Nomor itu tidak bisa dipakai lagi di WhatsApp biasa",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Satu nomor hanya bisa aktif di salah satu aplikasi."
                                    ),
                                },
                                {
                                    "text": "Pelanggan harus memasang WhatsApp Business juga",
                                    "correct": False,
                                    "explanation": (
                                        "Tidak perlu. Pelanggan tetap bisa menghubungi Anda "
                                        "dari WhatsApp biasa."
                                    ),
                                },
                                {
                                    "text": "Nomor HP Anda berganti",
                                    "correct": False,
                                    "explanation": (
                                        "Salah. Nomor Anda tetap sama, hanya aplikasinya yang "
                                        "berbeda."
                                    ),
                                },
                            ],
                        },
                    ],
                },
            ],
        },
        {
            "title": "Katalog produk dan foto yang menarik",
            "lessons": [
                {
                    "kind": "reading",
                    "title": "Membuat katalog produk",
                    "minutes": 5,
                    "body": """## Apa itu Katalog?

Katalog adalah etalase toko Anda di dalam WhatsApp. Setiap produk punya foto, nama, harga, dan
keterangan. Pelanggan bisa melihat semuanya tanpa harus bertanya satu per satu.

## Cara menambah produk

1. Ketuk **ikon titik tiga (⋮)**, lalu pilih **Alat bisnis**.
2. Ketuk **Katalog**.
3. Ketuk tombol untuk **menambah item baru**.
4. **Tambahkan foto.** Pilih satu foto produk yang paling jelas. Anda bisa memotret langsung
   atau memilih dari galeri.
5. Isi **nama produk** yang jelas dan lengkap, misalnya "Keripik Singkong Pedas 250 gram".
6. Isi **harga** dalam rupiah.
7. Isi **keterangan**: rasa, ukuran, bahan, berat, atau lama pembuatan.
8. Ketuk **Simpan**.

Produk baru kadang perlu diperiksa dulu oleh WhatsApp sebelum tampil untuk pelanggan.
Biasanya tidak lama.

## Contoh keterangan yang baik

> Keripik singkong pedas, tingkat pedas sedang. Berat 250 gram. Tanpa pengawet. Pesan sebelum
> pukul 12.00, dikirim hari itu juga.

Untuk batik:

> Kemeja batik tulis motif Lasem, lengan pendek. Ukuran L, lingkar dada 108 cm. Bahan katun,
> tidak panas dipakai.

## Saran agar katalog rapi

- **Satu produk, satu foto utama yang jelas.** Foto pertama paling sering dilihat pelanggan.
- Jika harga berbeda per ukuran atau rasa, **buat produk terpisah**. Jika harganya sama,
  cukup tulis pilihannya di keterangan.
- **Selalu perbarui harga.** Jika harga bahan naik, ubah juga harga di katalog.
- Jika stok habis, **sembunyikan produk sementara**, jangan dihapus. Saat stok ada lagi, Anda
  tinggal menampilkannya kembali.
- Tulis harga yang sebenarnya. Pelanggan kecewa jika harga di chat berbeda dengan di katalog.

**Coba sekarang:** tambahkan satu produk terlaris Anda ke **Katalog**.
""",
                },
                {
                    "kind": "reading",
                    "title": "Memotret produk dengan HP",
                    "minutes": 5,
                    "body": """## Foto yang baik menjual lebih banyak

Pelanggan tidak bisa memegang produk Anda. Mereka hanya melihat foto. Foto yang jelas membuat
pelanggan yakin. Anda tidak perlu kamera mahal. HP Anda sudah cukup.

## Langkah memotret

1. **Bersihkan lensa kamera** dengan kain lembut. Lensa yang terkena minyak jari membuat foto
   buram.
2. **Cari cahaya alami.** Letakkan produk di dekat jendela pada pagi atau sore hari. Jika
   matahari terlalu terik, tutup jendela dengan gorden tipis.
3. **Matikan lampu kilat.** Lampu kilat membuat kilau dan bayangan yang keras.
4. **Pakai latar yang bersih dan polos.** Kertas karton putih, kain polos, atau papan kayu
   sudah cukup. Singkirkan barang lain di sekitar produk.
5. **Isi bingkai foto.** Dekatkan HP sampai produk memenuhi sebagian besar layar. Jangan
   memperbesar layar dengan dua jari, karena foto jadi pecah.
6. **Ketuk layar di bagian produk** agar kamera fokus. Pegang HP dengan dua tangan.
7. Ambil beberapa foto, lalu pilih yang paling tajam.

## Hindari ini

- **Filter yang berlebihan.** Warna di foto harus sama dengan aslinya. Pembeli batik akan
  kecewa jika warna kainnya ternyata berbeda.
- Foto yang gelap atau penuh bayangan.
- Latar yang berantakan, misalnya tumpukan piring atau kardus.
- Tulisan besar yang menutupi produk.

![Foto produk yang baik dan yang buruk](picture:demo-product-photo)

## Contoh

- **Keripik:** taruh satu bungkus di atas kain polos, dengan sedikit keripik di piring kecil
  di depannya.
- **Batik:** gantung kain di dinding polos dekat jendela. Tambahkan satu foto motif dari dekat.
- **Warung:** foto paket sembako yang disusun rapi di atas meja yang bersih.

## Hemat kuota

- Tidak perlu memilih ukuran foto paling besar di setelan kamera.
- **Potong bagian foto yang tidak perlu** sebelum diunggah.
- Unggah foto ke katalog saat tersambung ke Wi-Fi, jika bisa.
- Kirim foto sebagai foto biasa, **bukan sebagai dokumen**. Foto biasa ukurannya lebih kecil.

**Coba sekarang:** foto satu produk Anda di dekat jendela dengan latar polos.
""",
                },
                {
                    "kind": "reading",
                    "title": "Membagikan katalog kepada pelanggan",
                    "minutes": 3,
                    "body": """## Satu tautan untuk semua produk

Setelah katalog terisi, Anda bisa membagikan tautannya. Pelanggan cukup mengetuk tautan itu
untuk melihat semua produk Anda. Ini jauh lebih hemat daripada mengirim puluhan foto.

## Cara mendapatkan tautan katalog

1. Buka **Alat bisnis**, lalu **Katalog**.
2. Ketuk **ikon bagikan** atau **ikon titik tiga (⋮)** di kanan atas.
3. Pilih **salin tautan**, atau langsung kirim ke chat pelanggan.
4. Tempel tautan itu di pesan yang Anda kirim.

## Mengirim satu produk di dalam chat

1. Buka chat pelanggan.
2. Ketuk **ikon klip kertas**, lalu pilih **Katalog**.
3. Pilih produk yang ditanyakan, lalu kirim.

Pelanggan akan melihat foto, harga, dan keterangan produk itu. Pelanggan juga bisa memasukkan
produk ke **keranjang** lalu mengirim pesanannya kepada Anda.

## Di mana membagikan tautan?

- Di **Status WhatsApp**, dengan satu kalimat ajakan.
- Di profil Instagram, Facebook, atau TikTok, jika Anda punya.
- Di grup warga atau grup arisan, **hanya jika grup itu mengizinkan promosi**.
- Dalam balasan untuk pelanggan baru yang menanyakan harga.

## Contoh pesan

> Halo Bu, terima kasih sudah bertanya. Semua pilihan keripik dan harganya ada di katalog
> kami: (tempel tautan katalog di sini). Silakan pilih, nanti saya bantu hitung ongkirnya.

**Coba sekarang:** salin tautan katalog Anda dan kirim ke satu teman atau keluarga untuk dicoba.
""",
                },
                {
                    "kind": "task",
                    "title": "Tugas praktik: Buat katalog 5 produk",
                    "minutes": 20,
                    "body": """## Tujuan

Katalog WhatsApp Business Anda berisi **minimal 5 produk** yang siap dilihat pelanggan.

## Langkah

1. Pilih **5 produk** yang paling sering dibeli.
2. Foto setiap produk seperti di materi "Memotret produk dengan HP": dekat jendela, latar
   polos, lensa bersih, tanpa filter berlebihan.
3. Buka **Alat bisnis**, lalu **Katalog**, dan tambahkan kelima produk itu.
4. Untuk setiap produk, isi **satu foto yang jelas**, **nama**, **harga**, dan **keterangan**
   singkat, misalnya ukuran, rasa, bahan, atau berat.
5. Salin **tautan katalog** Anda.

![Contoh katalog yang rapi](picture:demo-catalogue)

## Yang Anda kirim di sini

- **Tangkapan layar** halaman Katalog yang menampilkan produk-produk Anda. Di banyak HP
  Android, caranya: tekan tombol daya dan tombol volume bawah bersamaan.
- **Tautan katalog** Anda.
- Satu atau dua kalimat: produk mana yang paling sulit difoto, dan apa yang Anda lakukan.

## Periksa sebelum mengirim

- Semua foto terang dan tidak buram.
- Semua produk punya harga, dan tidak ada salah ketik.
- Nama produk jelas, misalnya "Kemeja Batik Lasem Ukuran L", bukan "Produk 1".
- Keterangan menjawab pertanyaan yang paling sering ditanyakan pelanggan.

Pendamping Anda akan melihat tugas ini dan memberi masukan. Tidak apa-apa jika belum
sempurna. Yang penting Anda mulai.
""",
                },
                {
                    "kind": "quiz",
                    "title": "Kuis: Katalog dan foto produk",
                    "minutes": 4,
                    "pass_mark": 70,
                    "max_attempts": None,
                    "questions": [
                        {
                            "text": "Di mana tempat terbaik memotret keripik dengan HP?",
                            "kind": "single",
                            "options": [
                                {
                                    "text": "Di dekat jendela, dengan cahaya pagi atau sore",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Cahaya alami yang lembut membuat warna produk "
                                        "terlihat asli dan tidak berbayang keras."
                                    ),
                                },
                                {
                                    "text": "Di dapur pada malam hari, memakai lampu kilat",
                                    "correct": False,
                                    "explanation": (
                                        "Kurang tepat. Lampu kilat membuat kilau pada kemasan "
                                        "dan bayangan yang keras."
                                    ),
                                },
                                {
                                    "text": "Di bawah terik matahari siang",
                                    "correct": False,
                                    "explanation": (
                                        "Kurang tepat. Cahaya terlalu keras, bayangan tajam, "
                                        "dan warna bisa terlihat pucat."
                                    ),
                                },
                            ],
                        },
                        {
                            "text": (
                                "Mana saja yang membuat foto produk lebih baik? "
                                "(Pilih semua yang benar)"
                            ),
                            "kind": "multiple",
                            "options": [
                                {
                                    "text": "Membersihkan lensa kamera lebih dulu",
                                    "correct": True,
                                    "explanation": "Betul. Lensa yang kotor membuat foto buram.",
                                },
                                {
                                    "text": "Memakai latar yang polos dan bersih",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Mata pelanggan langsung tertuju ke produk."
                                    ),
                                },
                                {
                                    "text": "Memakai filter warna yang kuat agar menarik",
                                    "correct": False,
                                    "explanation": (
                                        "Salah. Warna jadi tidak sesuai aslinya, dan pelanggan "
                                        "bisa kecewa saat barang datang."
                                    ),
                                },
                                {
                                    "text": "Mendekatkan HP sampai produk memenuhi bingkai",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Produk terlihat besar dan jelas tanpa membuat "
                                        "foto pecah."
                                    ),
                                },
                                {
                                    "text": "Memotret dari jauh lalu memperbesar dengan dua jari",
                                    "correct": False,
                                    "explanation": (
                                        "Salah. Memperbesar layar membuat foto pecah. Lebih "
                                        "baik HP yang didekatkan."
                                    ),
                                },
                            ],
                        },
                        {
                            "text": (
                                "Pak Budi menjual kemeja batik. Nama produk mana yang paling "
                                "baik untuk katalog?"
                            ),
                            "kind": "single",
                            "options": [
                                {
                                    "text": "Kemeja Batik Lasem Lengan Pendek, Ukuran L",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Nama ini menyebut jenis, motif, model, dan "
                                        "ukuran, jadi pelanggan tidak perlu bertanya lagi."
                                    ),
                                },
                                {
                                    "text": "PRODUK BARU!!!",
                                    "correct": False,
                                    "explanation": (
                                        "Kurang tepat. Nama ini tidak menjelaskan barangnya."
                                    ),
                                },
                                {
                                    "text": "Kemeja",
                                    "correct": False,
                                    "explanation": (
                                        "Terlalu singkat. Pelanggan tidak tahu motif, model, "
                                        "dan ukurannya."
                                    ),
                                },
                            ],
                        },
                        {
                            "text": (
                                "Cara apa yang paling hemat kuota untuk menunjukkan semua produk "
                                "kepada pelanggan baru?"
                            ),
                            "kind": "single",
                            "options": [
                                {
                                    "text": "Mengirim tautan katalog",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Satu pesan pendek, dan pelanggan bisa melihat "
                                        "semua produk."
                                    ),
                                },
                                {
                                    "text": "Mengirim 20 foto satu per satu",
                                    "correct": False,
                                    "explanation": (
                                        "Kurang tepat. Ini menghabiskan kuota Anda dan kuota "
                                        "pelanggan."
                                    ),
                                },
                                {
                                    "text": "Mengirim foto sebagai dokumen",
                                    "correct": False,
                                    "explanation": (
                                        "Kurang tepat. Foto yang dikirim sebagai dokumen "
                                        "ukurannya lebih besar."
                                    ),
                                },
                            ],
                        },
                        {
                            "text": (
                                "Harga bahan naik dan stok keripik pedas sedang habis. Apa yang "
                                "sebaiknya Anda lakukan di Katalog? (Pilih semua yang benar)"
                            ),
                            "kind": "multiple",
                            "options": [
                                {
                                    "text": "Mengubah harga produk yang naik",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Harga di katalog harus sama dengan harga yang "
                                        "Anda minta."
                                    ),
                                },
                                {
                                    "text": "Menyembunyikan sementara produk yang habis",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Saat stok ada lagi, Anda tinggal "
                                        "menampilkannya kembali."
                                    ),
                                },
                                {
                                    "text": "Membiarkan saja, nanti pelanggan akan bertanya",
                                    "correct": False,
                                    "explanation": (
                                        "Kurang tepat. Pelanggan kecewa jika harga atau stok "
                                        "berbeda dengan yang tertulis."
                                    ),
                                },
                            ],
                        },
                    ],
                },
            ],
        },
        {
            "title": "Melayani pelanggan dengan cepat dan ramah",
            "lessons": [
                {
                    "kind": "reading",
                    "title": "Pesan salam dan pesan di luar jam kerja",
                    "minutes": 4,
                    "body": """## Pelanggan tetap disapa walau Anda sibuk

Saat Anda sedang memasak atau melayani pembeli di warung, pesan pelanggan bisa menunggu lama.
Dua fitur ini memberi tahu pelanggan bahwa pesannya sudah diterima.

## Pesan salam

Pesan salam terkirim otomatis saat pelanggan menghubungi Anda pertama kali, atau setelah 14
hari tidak ada percakapan.

1. Buka **Alat bisnis**, lalu ketuk **Pesan salam**.
2. **Nyalakan** tombol kirim pesan salam.
3. Tulis pesan Anda.
4. Pilih penerima, misalnya semua orang atau hanya yang belum ada di kontak Anda.
5. Ketuk **Simpan**.

Contoh:

> Halo, terima kasih sudah menghubungi Keripik Bu Sari. Daftar produk dan harga ada di Katalog
> kami. Silakan tulis pesanan Anda, kami balas secepatnya.

## Pesan di luar jam kerja

Pesan ini terkirim otomatis saat Anda tidak bisa membalas, misalnya pada malam hari.

1. Buka **Alat bisnis**, lalu ketuk **Pesan di luar jam kerja**.
2. **Nyalakan** tombolnya, lalu tulis pesan.
3. Atur **jadwal**, misalnya hanya di luar jam buka yang sudah Anda isi di profil.
4. Ketuk **Simpan**.

Contoh:

> Terima kasih atas pesannya. Saat ini kami sedang tutup. Kami buka lagi besok pukul 07.00
> dan akan segera membalas pesan Anda.

Pesan otomatis hanya terkirim jika HP Anda tersambung ke internet.

## Saran

- Tulis pesan yang **pendek, ramah, dan jelas**.
- **Sebut nama usaha** Anda.
- Ajak pelanggan melihat Katalog, supaya mereka bisa memilih sambil menunggu.
- **Jangan berjanji berlebihan**, misalnya "dibalas dalam 1 menit", jika Anda tidak bisa
  menepatinya.

**Coba sekarang:** nyalakan **Pesan salam** dengan pesan yang menyebut nama usaha Anda.
""",
                },
                {
                    "kind": "reading",
                    "title": "Balasan cepat dan Label",
                    "minutes": 5,
                    "body": """## Balasan cepat: tidak perlu mengetik ulang

Pelanggan sering menanyakan hal yang sama: harga, cara bayar, ongkir, dan alamat. Dengan
**Balasan cepat**, Anda cukup mengetik garis miring (/) lalu memilih jawaban yang sudah
disimpan.

### Cara membuat

1. Buka **Alat bisnis**, lalu **Balasan cepat**.
2. Ketuk tanda **+** untuk menambah balasan baru.
3. Tulis pesannya, lalu buat **pintasan** pendek, misalnya "bayar".
4. Ketuk **Simpan**.

### Contoh

- **/bayar**: "Pembayaran bisa lewat QRIS atau transfer bank. Pesanan kami kirim setelah
  pembayaran masuk."
- **/ongkir**: "Ongkir dihitung dari alamat Anda. Mohon kirim alamat lengkap dengan kode pos."
- **/terima**: "Terima kasih sudah berbelanja. Ditunggu pesanan berikutnya!"

Untuk memakainya, **ketik / di kolom chat**, lalu pilih balasannya. Baca lagi sebelum
mengirim, dan tambahkan nama pelanggan agar terasa lebih ramah.

## Label: menandai setiap pesanan

**Label** adalah tanda berwarna untuk chat. Dengan label, Anda tahu pesanan mana yang belum
dibayar atau belum dikirim.

### Label yang disarankan

- **Pesanan baru**: pelanggan baru saja memesan.
- **Sudah bayar**: uang sudah masuk dan sudah Anda cek sendiri.
- **Dikirim**: barang sudah diserahkan ke kurir atau diantar.
- **Selesai**: barang sudah diterima pelanggan.

WhatsApp Business sudah menyediakan beberapa label. Anda bisa mengganti namanya atau membuat
label sendiri.

### Cara memakai

1. **Tekan lama** chat pelanggan di daftar chat.
2. Ketuk ikon **Label**.
3. Pilih label yang sesuai, atau buat label baru.
4. Saat pesanan berubah, **ganti labelnya**. Misalnya dari Pesanan baru menjadi Sudah bayar.

Anda juga bisa melihat semua chat dengan label yang sama sekaligus. Misalnya, setiap pagi
lihat semua chat berlabel Sudah bayar, lalu kemas dan kirim pesanannya.

**Coba sekarang:** buat satu **Balasan cepat** dengan pintasan "bayar", lalu buat label
**Sudah bayar**.
""",
                },
                {
                    "kind": "reading",
                    "title": "Membalas dengan sopan dan promosi lewat Status",
                    "minutes": 5,
                    "body": """## Balas cepat dan sopan

Pelanggan yang menunggu terlalu lama bisa pindah ke penjual lain. Usahakan membalas dalam
beberapa menit selama jam buka.

1. **Sapa dengan sopan**, misalnya "Selamat pagi, Bu" atau "Halo, Kak".
2. **Jawab pertanyaannya langsung**: harga, stok, dan ongkir.
3. **Ulangi pesanan** sebelum pelanggan membayar: nama produk, jumlah, total harga, dan
   alamat.
4. **Beri kabar** saat barang dikirim, misalnya kirim nomor resi.
5. **Ucapkan terima kasih** di akhir.

Jika ada keluhan, jangan membalas dengan marah. **Minta maaf dulu**, tanyakan masalahnya, lalu
tawarkan jalan keluar, misalnya tukar barang.

## Promosi lewat Status WhatsApp

Status adalah foto, video, atau tulisan yang hilang sendiri setelah 24 jam. Status Anda bisa
dilihat oleh orang yang **menyimpan nomor Anda**. Karena itu, minta pelanggan menyimpan nomor
usaha Anda.

Ide Status:

- Foto produk baru atau produk yang baru selesai dibuat.
- Proses membuat produk, misalnya keripik yang sedang digoreng atau kain yang sedang dibatik.
- Foto atau pesan dari pelanggan yang puas, **dengan izin mereka**.
- Info promo, misalnya "Beli 3 gratis 1, khusus hari Jumat".

## Jangan mengganggu

- Cukup **1–3 Status sehari**. Terlalu banyak membuat orang malas melihat.
- **Jangan kirim promosi ke chat pribadi** orang yang tidak pernah memintanya.
- Jangan memasukkan orang ke grup promosi tanpa izin.
- Kirim penawaran hanya kepada pelanggan yang setuju menerima kabar dari Anda.

Jika banyak orang memblokir atau melaporkan nomor Anda, WhatsApp bisa membatasi akun Anda.
Promosi yang sopan lebih aman dan lebih disukai pelanggan.

**Coba sekarang:** unggah satu Status berisi foto produk dan satu kalimat ajakan memesan.
""",
                },
                {
                    "kind": "quiz",
                    "title": "Kuis: Melayani pelanggan",
                    "minutes": 4,
                    "pass_mark": 70,
                    "max_attempts": None,
                    "questions": [
                        {
                            "text": "Kapan Pesan salam terkirim otomatis?",
                            "kind": "single",
                            "options": [
                                {
                                    "text": (
                                        "Saat pelanggan menghubungi Anda pertama kali, atau "
                                        "setelah 14 hari tidak ada percakapan"
                                    ),
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Jadi pelanggan lama tidak menerima salam yang "
                                        "sama berulang-ulang."
                                    ),
                                },
                                {
                                    "text": "Setiap kali pelanggan mengirim pesan",
                                    "correct": False,
                                    "explanation": (
                                        "Salah. Jika begitu, pelanggan akan merasa terganggu. "
                                        "Pesan salam tidak dikirim setiap kali."
                                    ),
                                },
                                {
                                    "text": "Hanya saat usaha Anda sedang tutup",
                                    "correct": False,
                                    "explanation": (
                                        "Salah. Itu tugas Pesan di luar jam kerja, bukan Pesan "
                                        "salam."
                                    ),
                                },
                            ],
                        },
                        {
                            "text": (
                                'Anda sudah membuat Balasan cepat dengan pintasan "bayar". '
                                "Bagaimana cara memakainya di chat?"
                            ),
                            "kind": "single",
                            "options": [
                                {
                                    "text": 'Ketik / di kolom chat, lalu pilih balasan "bayar"',
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Pesan yang sudah disimpan langsung muncul dan "
                                        "siap dikirim."
                                    ),
                                },
                                {
                                    "text": "Ketik ulang seluruh pesan setiap kali",
                                    "correct": False,
                                    "explanation": (
                                        "Kurang tepat. Balasan cepat justru dibuat agar Anda "
                                        "tidak perlu mengetik ulang."
                                    ),
                                },
                                {
                                    "text": "Kirim stiker kepada pelanggan",
                                    "correct": False,
                                    "explanation": (
                                        "Salah. Stiker tidak ada hubungannya dengan Balasan cepat."
                                    ),
                                },
                            ],
                        },
                        {
                            "text": (
                                "Mana saja cara membalas pelanggan yang baik? "
                                "(Pilih semua yang benar)"
                            ),
                            "kind": "multiple",
                            "options": [
                                {
                                    "text": "Mengulang isi pesanan sebelum pelanggan membayar",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Salah paham soal jumlah, harga, atau alamat "
                                        "bisa dicegah."
                                    ),
                                },
                                {
                                    "text": "Menyapa dengan sopan",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Sapaan yang ramah membuat pelanggan nyaman."
                                    ),
                                },
                                {
                                    "text": "Membalas keluhan dengan marah",
                                    "correct": False,
                                    "explanation": (
                                        "Salah. Minta maaf dulu, tanyakan masalahnya, lalu "
                                        "tawarkan jalan keluar."
                                    ),
                                },
                                {
                                    "text": "Memberi kabar saat barang dikirim",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Pelanggan tenang karena tahu pesanannya sudah "
                                        "di jalan."
                                    ),
                                },
                            ],
                        },
                        {
                            "text": (
                                "Mana saja cara promosi lewat WhatsApp yang tidak mengganggu? "
                                "(Pilih semua yang benar)"
                            ),
                            "kind": "multiple",
                            "options": [
                                {
                                    "text": "Mengunggah 1–3 Status sehari berisi produk",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Status hanya dilihat oleh orang yang memang "
                                        "mau melihatnya."
                                    ),
                                },
                                {
                                    "text": "Memasukkan semua kontak ke grup promosi tanpa izin",
                                    "correct": False,
                                    "explanation": (
                                        "Salah. Orang bisa merasa terganggu lalu memblokir atau "
                                        "melaporkan nomor Anda."
                                    ),
                                },
                                {
                                    "text": "Mengirim penawaran hanya kepada pelanggan yang setuju",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Pelanggan yang setuju lebih mungkin membaca "
                                        "dan membeli."
                                    ),
                                },
                                {
                                    "text": (
                                        "Mengirim promosi setiap jam ke chat pribadi semua kontak"
                                    ),
                                    "correct": False,
                                    "explanation": (
                                        "Salah. Ini mengganggu, dan WhatsApp bisa membatasi "
                                        "akun Anda jika banyak yang melapor."
                                    ),
                                },
                            ],
                        },
                        {
                            "text": (
                                "Uang dari Pak Joko sudah masuk dan sudah Anda cek di aplikasi. "
                                "Barangnya belum dikirim. Label apa yang sebaiknya dipasang?"
                            ),
                            "kind": "single",
                            "options": [
                                {
                                    "text": "Sudah bayar",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Langkah berikutnya: kemas dan kirim barangnya, "
                                        "lalu ganti label menjadi Dikirim."
                                    ),
                                },
                                {
                                    "text": "Pesanan baru",
                                    "correct": False,
                                    "explanation": (
                                        "Kurang tepat. Pesanan ini sudah dibayar, jadi labelnya "
                                        "perlu diganti."
                                    ),
                                },
                                {
                                    "text": "Selesai",
                                    "correct": False,
                                    "explanation": (
                                        "Belum. Barang belum dikirim dan belum diterima Pak Joko."
                                    ),
                                },
                            ],
                        },
                    ],
                },
            ],
        },
        {
            "title": "Menerima pembayaran QRIS dan mencatat pesanan",
            "lessons": [
                {
                    "kind": "reading",
                    "title": "Mengenal QRIS dan cara mendaftar",
                    "minutes": 5,
                    "body": """## Apa itu QRIS?

QRIS adalah kode QR standar nasional untuk pembayaran di Indonesia, yang ditetapkan oleh Bank
Indonesia. Dengan **satu kode QRIS**, Anda bisa menerima uang dari banyak aplikasi bank dan
dompet digital yang mendukung QRIS. Pembeli cukup memindai kode Anda, lalu membayar.

## Untungnya untuk usaha Anda

- Tidak perlu menyiapkan uang kembalian.
- Mengurangi risiko menerima uang palsu.
- Uang masuk tercatat, jadi penjualan lebih mudah dihitung.
- Bisa dipakai di warung maupun untuk pesanan lewat WhatsApp.

## Cara mendaftar

QRIS didapat dari **bank** atau **penyedia jasa pembayaran resmi**. Langkah umumnya:

1. **Pilih bank atau penyedia.** Banyak pedagang memilih bank tempat mereka sudah punya
   rekening.
2. **Daftar** lewat aplikasi mereka, atau datang ke kantor cabang.
3. Siapkan **KTP**, data usaha (nama, alamat, jenis usaha), dan **foto tempat usaha** atau
   produk. Syarat tiap bank atau penyedia bisa berbeda.
4. **Tunggu pendaftaran diperiksa.** Setelah disetujui, Anda mendapat kode QRIS dan cara
   melihat uang yang masuk.
5. **Cetak kode QRIS** atau minta stikernya.

## Tentang biaya

Untuk setiap pembayaran lewat QRIS, ada potongan biaya yang disebut **MDR**. Besarnya
tergantung aturan yang berlaku dan bank atau penyedia Anda. **Tanyakan biayanya sebelum
mendaftar**, dan tanyakan juga kapan uang masuk ke rekening Anda.

## Memajang QRIS

- Tempel stiker QRIS di tempat yang **mudah dilihat**, misalnya di dekat meja kasir warung.
- Untuk pesanan lewat WhatsApp, simpan gambar QRIS di HP. Kirim gambar itu saat pelanggan
  siap membayar.
- **Periksa stiker Anda secara rutin.** Pastikan nama yang muncul saat kode dipindai adalah
  nama usaha Anda, dan stiker tidak ditimpa stiker lain oleh orang jahat.

**Coba sekarang:** tanyakan ke bank Anda apakah bisa mendaftar QRIS, dan apa saja syaratnya.
""",
                },
                {
                    "kind": "reading",
                    "title": "Cek pembayaran dulu, baru kirim barang",
                    "minutes": 4,
                    "body": """## Aturan utama

**Kirim barang hanya setelah uangnya benar-benar masuk.** Jangan percaya hanya pada
tangkapan layar bukti transfer dari pembeli. Bukti transfer mudah dipalsukan.

## Cara mengecek pembayaran

1. Buka **aplikasi bank atau aplikasi QRIS milik Anda sendiri**, bukan foto dari pembeli.
2. Cari transaksi yang masuk. Cocokkan **jumlah uang**, **waktu**, dan nama pengirim jika ada.
3. Jika uang sudah masuk, pasang label **Sudah bayar** di chat pelanggan.
4. Baru siapkan dan kirim barangnya.

Di warung, **lihat notifikasi pembayaran di HP Anda** sebelum pembeli pergi. Jika
notifikasi belum muncul, minta pembeli menunggu sebentar.

## Tanda-tanda penipuan

- Pembeli **mendesak**: "Sudah transfer, tolong cepat dikirim, saya buru-buru."
- Pembeli bilang **kelebihan transfer** dan minta sisanya dikembalikan. Cek dulu di aplikasi
  Anda. Sering kali uangnya tidak pernah masuk.
- Bukti transfer terlihat aneh: huruf berbeda, jam tidak cocok, atau nama bank salah.
- Ada **file yang mengaku resi, undangan, atau tagihan** dengan nama berakhiran **.apk**.
  **Jangan dibuka.** File seperti ini bisa mencuri data dan uang di HP Anda.
- Ada orang mengaku petugas bank yang meminta **PIN, kata sandi, atau kode rahasia dari
  SMS**. Bank tidak pernah meminta itu.

## Jika ragu

- Katakan dengan sopan: "Mohon maaf, Kak, kami cek dulu ya. Barang kami kirim setelah dana
  masuk."
- Pembeli yang jujur akan mengerti.
- Jika Anda tertipu, **segera hubungi bank Anda** lewat nomor resmi yang tertulis di kartu ATM
  atau di aplikasi bank.

**Coba sekarang:** buat satu **Balasan cepat** berisi kalimat "Barang kami kirim setelah dana
masuk".
""",
                },
                {
                    "kind": "reading",
                    "title": "Mencatat pesanan dengan sederhana",
                    "minutes": 4,
                    "body": """## Kenapa perlu dicatat?

Tanpa catatan, pesanan mudah terlupa, uang sulit dihitung, dan Anda tidak tahu produk mana
yang paling laku. Catatan sederhana sudah cukup. Tidak perlu aplikasi mahal.

## Pilih alat catat

- **Buku tulis** khusus pesanan,
- **catatan di HP**, atau
- **lembar kerja** seperti Google Sheets, jika Anda sudah terbiasa.

Pilih satu saja, lalu pakai setiap hari.

## Isi untuk setiap pesanan

Tulis satu baris untuk setiap pesanan, berisi:

1. Tanggal
2. Nama pelanggan
3. Produk dan jumlahnya
4. Total harga, termasuk ongkir
5. Cara bayar: QRIS, transfer, atau tunai
6. Status: Pesanan baru, Sudah bayar, Dikirim, atau Selesai

Contoh:

> 12 Mei – Bu Ani – Keripik pedas 3 bungkus – Rp45.000 – QRIS – Dikirim

## Kebiasaan harian

1. **Catat saat pesanan masuk.** Jangan menunggu malam, nanti ada yang terlupa.
2. **Samakan catatan dengan Label** di WhatsApp Business. Jika label berganti menjadi
   Dikirim, ubah juga catatannya.
3. **Setiap malam, jumlahkan penjualan hari itu.** Cocokkan dengan uang yang masuk di
   aplikasi bank atau QRIS.
4. **Setiap akhir minggu, lihat produk yang paling laku.** Siapkan stoknya lebih banyak, dan
   jadikan bahan Status.

## Pisahkan uang usaha dan uang pribadi

Jika bisa, pakai **rekening khusus untuk usaha**. Uang belanja rumah tangga jangan dicampur
dengan uang usaha. Dengan begitu, Anda lebih mudah melihat apakah usaha Anda untung.

**Coba sekarang:** catat semua pesanan hari ini, lalu jumlahkan totalnya.
""",
                },
                {
                    "kind": "quiz",
                    "title": "Kuis: QRIS dan catatan pesanan",
                    "minutes": 4,
                    "pass_mark": 70,
                    "max_attempts": None,
                    "questions": [
                        {
                            "text": "Apa kelebihan utama QRIS?",
                            "kind": "single",
                            "options": [
                                {
                                    "text": (
                                        "Satu kode bisa menerima pembayaran dari banyak aplikasi "
                                        "bank dan dompet digital"
                                    ),
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Anda tidak perlu memajang banyak kode untuk "
                                        "setiap aplikasi."
                                    ),
                                },
                                {
                                    "text": "Tidak pernah ada biaya sama sekali",
                                    "correct": False,
                                    "explanation": (
                                        "Salah. Ada potongan biaya (MDR) yang besarnya "
                                        "tergantung aturan dan bank atau penyedia."
                                    ),
                                },
                                {
                                    "text": "Hanya bisa dipakai di toko besar",
                                    "correct": False,
                                    "explanation": (
                                        "Salah. Warung dan usaha rumahan juga bisa memakai QRIS."
                                    ),
                                },
                            ],
                        },
                        {
                            "text": (
                                "Pembeli mengirim tangkapan layar bukti transfer dan minta "
                                "barang segera dikirim. Apa yang Anda lakukan?"
                            ),
                            "kind": "single",
                            "options": [
                                {
                                    "text": (
                                        "Mengecek uang masuk di aplikasi bank atau QRIS milik "
                                        "sendiri, baru mengirim barang"
                                    ),
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Hanya aplikasi Anda sendiri yang bisa dipercaya."
                                    ),
                                },
                                {
                                    "text": "Langsung mengirim barang karena sudah ada bukti",
                                    "correct": False,
                                    "explanation": "Berbahaya. Tangkapan layar mudah dipalsukan.",
                                },
                                {
                                    "text": "Meminta pembeli mengirim bukti sekali lagi",
                                    "correct": False,
                                    "explanation": (
                                        "Kurang tepat. Bukti kedua juga bisa palsu. Yang "
                                        "penting adalah uang yang masuk di aplikasi Anda."
                                    ),
                                },
                            ],
                        },
                        {
                            "text": "Mana saja tanda-tanda penipuan? (Pilih semua yang benar)",
                            "kind": "multiple",
                            "options": [
                                {
                                    "text": (
                                        "Pembeli bilang kelebihan transfer dan minta sisanya "
                                        "dikembalikan"
                                    ),
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Cek dulu di aplikasi Anda. Sering kali uangnya "
                                        "tidak pernah masuk."
                                    ),
                                },
                                {
                                    "text": "Ada file .apk yang mengaku resi pengiriman",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Jangan dibuka. File ini bisa mencuri data dan "
                                        "uang di HP Anda."
                                    ),
                                },
                                {
                                    "text": "Pembeli menanyakan ukuran dan warna kemeja batik",
                                    "correct": False,
                                    "explanation": (
                                        "Ini pertanyaan biasa dari calon pembeli, bukan tanda "
                                        "penipuan."
                                    ),
                                },
                                {
                                    "text": "Orang yang mengaku petugas bank meminta PIN Anda",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Bank tidak pernah meminta PIN, kata sandi, atau "
                                        "kode rahasia dari SMS."
                                    ),
                                },
                            ],
                        },
                        {
                            "text": (
                                "Apa saja yang perlu dicatat untuk setiap pesanan? "
                                "(Pilih semua yang benar)"
                            ),
                            "kind": "multiple",
                            "options": [
                                {
                                    "text": "Produk dan jumlahnya",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Anda tahu apa yang harus dikemas dan produk "
                                        "mana yang laku."
                                    ),
                                },
                                {
                                    "text": "Total harga dan cara bayar",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Ini dipakai untuk mencocokkan uang yang masuk."
                                    ),
                                },
                                {
                                    "text": "Status pesanan, misalnya Sudah bayar atau Dikirim",
                                    "correct": True,
                                    "explanation": "Betul. Tidak ada pesanan yang terlupa dikirim.",
                                },
                                {
                                    "text": "Semua isi chat pelanggan, kata per kata",
                                    "correct": False,
                                    "explanation": (
                                        "Tidak perlu. Cukup catat hal yang penting, supaya "
                                        "catatan tetap singkat."
                                    ),
                                },
                            ],
                        },
                        {
                            "text": "Di mana Anda bisa mendapatkan QRIS untuk usaha Anda?",
                            "kind": "single",
                            "options": [
                                {
                                    "text": "Di bank atau penyedia jasa pembayaran resmi",
                                    "correct": True,
                                    "explanation": (
                                        "Betul. Daftar langsung ke bank atau penyedia resmi, "
                                        "lewat aplikasi atau kantor cabangnya."
                                    ),
                                },
                                {
                                    "text": (
                                        "Lewat orang di media sosial yang meminta foto KTP dan "
                                        "PIN Anda"
                                    ),
                                    "correct": False,
                                    "explanation": (
                                        "Berbahaya. Jangan pernah memberikan PIN kepada siapa pun."
                                    ),
                                },
                                {
                                    "text": "Membuat sendiri dengan aplikasi pembuat kode QR",
                                    "correct": False,
                                    "explanation": (
                                        "Salah. Kode QR buatan sendiri bukan QRIS, dan uang "
                                        "pembeli tidak akan masuk ke rekening Anda."
                                    ),
                                },
                            ],
                        },
                    ],
                },
            ],
        },
    ],
}
